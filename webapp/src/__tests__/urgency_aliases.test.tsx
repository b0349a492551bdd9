import {render, screen, waitFor, within} from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import React from 'react';

import {checkAnswer, consoleProps, Stateful} from './helpers';

import UrgencyAliases from '../components/urgency_aliases';
import {resetScreenState} from '../screen_state';
import {resetSettingsCheck} from '../settings_check';
import type {SettingsCheck} from '../types';

const mockCheck = jest.fn();
jest.mock('../client', () => ({
    ...jest.requireActual('../client'),
    checkSettings: (...a: unknown[]) => mockCheck(...a),
}));

type Items = SettingsCheck['lists']['UrgencyAliases'];

// The server's reading of each value the tests use (paging.ReadAliases, table-tested in Go).
const READINGS: Record<string, {items: Items; field?: string}> = {
    'sev-1=critical, p2=medium': {items: [{alias: 'sev-1', urgency: 'critical'}, {alias: 'p2', urgency: 'medium'}]},
    'sev-1=critical': {items: [{alias: 'sev-1', urgency: 'critical'}]},
    'sev-1=critical, p1=': {
        items: [{alias: 'sev-1', urgency: 'critical'}, {alias: 'p1', urgency: '', problem: 'Urgency alias "p1" has no urgency after the =: use low, medium, high or critical.'}],
        field: 'Urgency alias "p1" has no urgency after the =: use low, medium, high or critical.',
    },
    'sev-1=critical, p1=high': {items: [{alias: 'sev-1', urgency: 'critical'}, {alias: 'p1', urgency: 'high'}]},
    'p1=high, P1=low, a=b=low, x=urgent': {
        items: [
            {alias: 'p1', urgency: 'high', hint: '"p1" is listed again further down: the last one counts.'},
            {alias: 'P1', urgency: 'low'},
            {alias: 'a=b', urgency: 'low'},
            {alias: 'x', urgency: 'urgent', problem: 'Urgency alias "x" points to "urgent", which is not low, medium, high or critical.'},
        ],
        field: 'Urgency alias "x" points to "urgent", which is not low, medium, high or critical.',
    },
    'p1=high, a=b=low, x=urgent': {
        items: [{alias: 'p1', urgency: 'high'}, {alias: 'a=b', urgency: 'low'}, {alias: 'x', urgency: 'urgent', problem: 'Urgency alias "x" points to "urgent", which is not low, medium, high or critical.'}],
        field: 'Urgency alias "x" points to "urgent", which is not low, medium, high or critical.',
    },
    'a,b=high': {
        items: [{alias: 'a', urgency: '', problem: 'Urgency alias "a" must look like alias=level, for example sev-1=critical.'}, {alias: 'b', urgency: 'high'}],
        field: 'Urgency alias "a" must look like alias=level, for example sev-1=critical.',
    },
};

function answerFor(settings: Record<string, string>) {
    const r = READINGS[settings.urgencyaliases];
    if (!r) {
        return Promise.reject(new Error(`no reading for ${settings.urgencyaliases}`));
    }
    return Promise.resolve(checkAnswer({lists: {UrgencyAliases: r.items}, fields: r.field ? {UrgencyAliases: r.field} : {}}));
}

function renderAliases(value: string) {
    const props = consoleProps('UrgencyAliases', value);
    render(
        <Stateful
            component={UrgencyAliases}
            props={props}
        />,
    );
    return props;
}

beforeEach(() => {
    jest.clearAllMocks();
    resetScreenState();
    resetSettingsCheck();
    mockCheck.mockImplementation(answerFor);
});

describe('UrgencyAliases', () => {
    test('shows the stored aliases as the server reads them; the urgencies are the server\'s', async () => {
        renderAliases('sev-1=critical, p2=medium');
        expect(screen.getByText('Reading the aliases…')).toBeInTheDocument();
        await waitFor(() => expect(screen.getAllByTestId('alias-row')).toHaveLength(2));
        expect(screen.getByLabelText('Alias 1')).toHaveValue('sev-1');
        expect(screen.getByLabelText('Urgency for alias 2')).toHaveValue('medium');
        const options = within(screen.getByLabelText('Urgency for alias 1')).getAllByRole('option');
        expect(options.map((o) => [o.getAttribute('value'), o.textContent])).toEqual([['', 'Choose…'], ['low', 'Low'], ['medium', 'Medium'], ['high', 'High'], ['critical', 'Critical']]);
    });

    test('a new row is written as typed and the server says what it lacks', async () => {
        const props = renderAliases('sev-1=critical');
        await userEvent.click(await screen.findByText('+ Add alias'));
        expect(props.onChange).not.toHaveBeenCalled(); // an empty row is not written
        await userEvent.type(screen.getByLabelText('Alias 2'), 'p1');
        expect(props.onChange).toHaveBeenLastCalledWith('UrgencyAliases', 'sev-1=critical, p1=');
        expect(await screen.findByRole('alert')).toHaveTextContent('Urgency alias "p1" has no urgency after the =: use low, medium, high or critical.');
        expect(screen.getAllByTestId('alias-row')[1]).toContainElement(screen.getByRole('alert'));
        await userEvent.selectOptions(screen.getByLabelText('Urgency for alias 2'), 'high');
        expect(props.onChange).toHaveBeenLastCalledWith('UrgencyAliases', 'sev-1=critical, p1=high');
        expect(props.setSaveNeeded).toHaveBeenCalled();
        await waitFor(() => expect(screen.queryByRole('alert')).toBeNull());
    });

    test('accepts what the server accepts, flags what it refuses; remove drops a row', async () => {
        const props = renderAliases('p1=high, P1=low, a=b=low, x=urgent');
        await waitFor(() => expect(screen.getAllByTestId('alias-row')).toHaveLength(4));
        expect(screen.getAllByRole('alert').map((a) => a.textContent)).toEqual(['Urgency alias "x" points to "urgent", which is not low, medium, high or critical.']);
        expect(screen.getAllByTestId('alias-row')[3]).toContainElement(screen.getByRole('alert'));
        expect(screen.getAllByTestId('alias-row')[0]).toHaveTextContent('"p1" is listed again further down: the last one counts.');
        expect(screen.getByLabelText('Urgency for alias 4')).toHaveValue('urgent'); // shown as written
        await userEvent.click(screen.getByLabelText('Remove alias 2'));
        expect(props.onChange).toHaveBeenLastCalledWith('UrgencyAliases', 'p1=high, a=b=low, x=urgent');
        await waitFor(() => expect(screen.queryByText(/listed again/)).toBeNull());
    });

    test('a row that the server reads as several items gets the field\'s sentence', async () => {
        const props = renderAliases('sev-1=critical');
        await waitFor(() => expect(screen.getAllByTestId('alias-row')).toHaveLength(1));
        await userEvent.click(screen.getByLabelText('Remove alias 1'));
        await userEvent.click(screen.getByText('+ Add alias'));
        await userEvent.selectOptions(screen.getByLabelText('Urgency for alias 1'), 'high');
        await userEvent.type(screen.getByLabelText('Alias 1'), 'a,b');
        expect(props.onChange).toHaveBeenLastCalledWith('UrgencyAliases', 'a,b=high');
        const alert = await screen.findByRole('alert');
        expect(alert).toHaveTextContent('Urgency alias "a" must look like alias=level, for example sev-1=critical.');
        expect(screen.getAllByTestId('alias-row')[0]).not.toContainElement(alert);
    });

    test('without the server\'s reading nothing can be edited', async () => {
        mockCheck.mockRejectedValue(new Error('Network Error'));
        renderAliases('sev-1=critical');
        expect(await screen.findByText('The plugin could not check the settings: Network Error')).toBeInTheDocument();
        expect(screen.queryByText('+ Add alias')).toBeNull();
    });
});
