import {act, fireEvent, render, screen, waitFor} from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import React from 'react';

import {checkAnswer, consoleProps} from './helpers';

import TriggerWords from '../components/trigger_words';
import {resetScreenState, screenSettings} from '../screen_state';
import {resetSettingsCheck} from '../settings_check';

const mockCheck = jest.fn();
jest.mock('../client', () => ({
    ...jest.requireActual('../client'),
    checkSettings: (...a: unknown[]) => mockCheck(...a),
}));

// The server's reading of each value the tests use (the rules are table-tested in Go).
const READINGS: Record<string, Array<{text: string; hint?: string}>> = {
    '': [],
    outage: [{text: 'outage'}],
    'outage, sev-1': [{text: 'outage'}, {text: 'sev-1'}],
    'sev-1, sev-2': [{text: 'sev-1'}, {text: 'sev-2'}],
    'db, help, outage': [{text: 'db', hint: '"db" is very short and will page on ordinary talk.'}, {text: 'help', hint: '"help" is a common word and will page on ordinary talk.'}, {text: 'outage'}],
};

function answerFor(settings: Record<string, string>) {
    const value = settings.triggerwords;
    if (!(value in READINGS)) {
        return Promise.reject(new Error(`no reading for ${value}`)); // shown as the check's error
    }
    return Promise.resolve(checkAnswer({
        lists: {TriggerWords: READINGS[value]},
        fields: value === '' ? {TriggerWords: 'No trigger words are set: add at least one, such as outage.'} : {},
    }));
}

function setup(value: string, extra = {}) {
    const props = consoleProps('TriggerWords', value, extra);
    const view = render(<TriggerWords {...props}/>);
    const rerender = (v: string) => view.rerender(<TriggerWords {...{...props, value: v}}/>);
    return {props, rerender};
}

const chips = () => screen.queryAllByTestId('trigger-chip').map((c) => c.firstChild?.textContent);

beforeEach(() => {
    jest.clearAllMocks();
    resetScreenState();
    resetSettingsCheck();
    mockCheck.mockImplementation(answerFor);
});

describe('TriggerWords', () => {
    test('shows the triggers as the server reads them, and publishes the value for the preview', async () => {
        setup('outage, sev-1');
        expect(screen.getByLabelText('Add a trigger word')).toHaveAttribute('placeholder', 'Reading the triggers…');
        await waitFor(() => expect(chips()).toEqual(['outage', 'sev-1']));
        expect(screen.getByLabelText('Add a trigger word')).toHaveAttribute('placeholder', 'Add another…');
        expect(screenSettings()).toEqual({triggerwords: 'outage, sev-1'});
        expect(mockCheck).toHaveBeenCalledWith({triggerwords: 'outage, sev-1'}, expect.any(AbortSignal));
    });

    test('Enter adds the text as typed (case is the match mode\'s business) and marks the page as needing save', async () => {
        const {props} = setup('outage');
        await userEvent.type(screen.getByLabelText('Add a trigger word'), 'DB Down{Enter}');
        expect(props.onChange).toHaveBeenLastCalledWith('TriggerWords', 'outage, DB Down');
        expect(props.setSaveNeeded).toHaveBeenCalled();
        expect(screen.getByLabelText('Add a trigger word')).toHaveValue('');
    });

    test('a comma adds the word typed before it', async () => {
        const {props} = setup('');
        await userEvent.type(screen.getByLabelText('Add a trigger word'), 'sev-1,');
        expect(props.onChange).toHaveBeenLastCalledWith('TriggerWords', 'sev-1');
    });

    test('pasting adds the pasted text; the server splits it', () => {
        const {props} = setup('outage');
        fireEvent.paste(screen.getByLabelText('Add a trigger word'), {clipboardData: {getData: () => 'Outage, sev-1\nsev-2'}});
        expect(props.onChange).toHaveBeenLastCalledWith('TriggerWords', 'outage, Outage, sev-1\nsev-2');
    });

    test('× removes a chip from the server\'s list; Backspace in an empty box removes the last', async () => {
        const {props, rerender} = setup('outage, sev-1');
        await waitFor(() => expect(screen.getByLabelText('Remove outage')).toBeEnabled());
        await userEvent.click(screen.getByLabelText('Remove outage'));
        expect(props.onChange).toHaveBeenLastCalledWith('TriggerWords', 'sev-1');
        rerender('sev-1, sev-2');
        await waitFor(() => expect(chips()).toEqual(['sev-1', 'sev-2']));
        await userEvent.type(screen.getByLabelText('Add a trigger word'), '{Backspace}');
        expect(props.onChange).toHaveBeenLastCalledWith('TriggerWords', 'sev-1');
    });

    test('while the server has not read the value on screen, nothing can be removed', async () => {
        let answer: (v: unknown) => void = () => undefined;
        const {props, rerender} = setup('outage, sev-1');
        await waitFor(() => expect(chips()).toEqual(['outage', 'sev-1']));
        mockCheck.mockImplementation(() => new Promise((r) => {
            answer = r;
        }));
        rerender('sev-1, sev-2');
        expect(screen.getByLabelText('Remove outage')).toBeDisabled(); // the chips are about the old value
        await userEvent.type(screen.getByLabelText('Add a trigger word'), '{Backspace}');
        expect(props.onChange).not.toHaveBeenCalled();
        await waitFor(() => expect(mockCheck).toHaveBeenCalledTimes(2));
        await act(async () => answer(await answerFor({triggerwords: 'sev-1, sev-2'})));
        expect(screen.getByLabelText('Remove sev-2')).toBeEnabled();
    });

    test('the server\'s warnings and refusal are shown', async () => {
        const {rerender} = setup('db, help, outage');
        expect(await screen.findByText('"db" is very short and will page on ordinary talk.')).toBeInTheDocument();
        expect(screen.getByText('"help" is a common word and will page on ordinary talk.')).toBeInTheDocument();
        expect(screen.getAllByTestId('trigger-chip')[0]).toHaveClass('pagertree-chip--warn');
        rerender('');
        expect(await screen.findByRole('alert')).toHaveTextContent('No trigger words are set: add at least one, such as outage.');
    });

    test('a word typed but not added is kept when the admin saves', async () => {
        const {props} = setup('outage');
        expect(props.registerSaveAction).toHaveBeenCalledTimes(1);
        await userEvent.type(screen.getByLabelText('Add a trigger word'), 'pending');
        const action = (props.registerSaveAction as jest.Mock).mock.calls[0][0];
        await act(action);
        expect(props.onChange).toHaveBeenLastCalledWith('TriggerWords', 'outage, pending');
        expect(screen.getByLabelText('Add a trigger word')).toHaveValue('');
    });

    test('disabled and set by environment: no editing', async () => {
        setup('outage', {setByEnv: true});
        await waitFor(() => expect(chips()).toEqual(['outage']));
        expect(screen.getByLabelText('Add a trigger word')).toBeDisabled();
        expect(screen.queryByLabelText('Remove outage')).toBeNull();
        expect(screen.getByText(/environment variable/)).toBeInTheDocument();
    });
});
