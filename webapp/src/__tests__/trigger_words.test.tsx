import {act, fireEvent, render, screen} from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import React from 'react';

import {consoleProps} from './helpers';

import TriggerWords from '../components/trigger_words';
import {resetScreenState, screenSettings} from '../screen_state';

function setup(value: string, extra = {}) {
    const props = consoleProps('TriggerWords', value, extra);
    const view = render(<TriggerWords {...props}/>);
    const rerender = (v: string) => view.rerender(<TriggerWords {...{...props, value: v}}/>);
    return {props, rerender};
}

beforeEach(resetScreenState);

describe('TriggerWords', () => {
    test('shows stored triggers as chips and publishes them for the preview', () => {
        setup('outage, sev-1');
        expect(screen.getAllByTestId('trigger-chip').map((c) => c.firstChild?.textContent)).toEqual(['outage', 'sev-1']);
        expect(screenSettings()).toEqual({triggerwords: 'outage, sev-1'});
    });

    test('Enter adds a case-folded chip and marks the page as needing save', async () => {
        const {props} = setup('outage');
        await userEvent.type(screen.getByLabelText('Add a trigger word'), 'DB Down{Enter}');
        expect(props.onChange).toHaveBeenLastCalledWith('TriggerWords', 'outage, db down');
        expect(props.setSaveNeeded).toHaveBeenCalled();
    });

    test('a comma adds the word typed before it', async () => {
        const {props} = setup('');
        await userEvent.type(screen.getByLabelText('Add a trigger word'), 'sev-1,');
        expect(props.onChange).toHaveBeenLastCalledWith('TriggerWords', 'sev-1');
    });

    test('pasting a list adds each item once', () => {
        const {props} = setup('outage');
        fireEvent.paste(screen.getByLabelText('Add a trigger word'), {clipboardData: {getData: () => 'Outage, sev-1\nsev-2, SEV-1'}});
        expect(props.onChange).toHaveBeenLastCalledWith('TriggerWords', 'outage, sev-1, sev-2');
    });

    test('× removes a chip; Backspace in an empty box removes the last', async () => {
        const {props, rerender} = setup('outage, sev-1');
        await userEvent.click(screen.getByLabelText('Remove outage'));
        expect(props.onChange).toHaveBeenLastCalledWith('TriggerWords', 'sev-1');
        rerender('sev-1, sev-2');
        await userEvent.type(screen.getByLabelText('Add a trigger word'), '{Backspace}');
        expect(props.onChange).toHaveBeenLastCalledWith('TriggerWords', 'sev-1');
    });

    test('warns on triggers that would page on ordinary talk, errors on none', () => {
        const {rerender} = setup('db, help, outage');
        expect(screen.getByText(/"db" is very short/)).toBeInTheDocument();
        expect(screen.getByText(/"help" is a common word/)).toBeInTheDocument();
        rerender('');
        expect(screen.getByRole('alert')).toHaveTextContent('Add at least one trigger word');
    });

    test('a word typed but not added is kept when the admin saves', async () => {
        const {props} = setup('outage');
        expect(props.registerSaveAction).toHaveBeenCalledTimes(1);
        await userEvent.type(screen.getByLabelText('Add a trigger word'), 'pending');
        const action = (props.registerSaveAction as jest.Mock).mock.calls[0][0];
        await act(action);
        expect(props.onChange).toHaveBeenLastCalledWith('TriggerWords', 'outage, pending');
    });

    test('disabled and set by environment: no editing', () => {
        setup('outage', {setByEnv: true});
        expect(screen.getByLabelText('Add a trigger word')).toBeDisabled();
        expect(screen.queryByLabelText('Remove outage')).toBeNull();
        expect(screen.getByText(/environment variable/)).toBeInTheDocument();
    });
});
