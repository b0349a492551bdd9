import {render, screen, waitFor} from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import React from 'react';

import {checkAnswer, consoleProps, Stateful} from './helpers';

import IncidentSeverities from '../components/incident_severities';
import {resetScreenState} from '../screen_state';
import {resetSettingsCheck} from '../settings_check';

const mockCheck = jest.fn();
jest.mock('../client', () => ({
    ...jest.requireActual('../client'),
    checkSettings: (...a: unknown[]) => mockCheck(...a),
}));

beforeEach(() => {
    jest.clearAllMocks();
    resetScreenState();
    resetSettingsCheck();
    mockCheck.mockResolvedValue(checkAnswer());
});

const ID = 'PluginSettings.Plugins.pagertree.incidentseverities';
const DEFAULT = 'sev-1=SEV-1 critical, sev-2=SEV-2 high, sev-3=SEV-3 medium';

describe('IncidentSeverities', () => {
    test.each([
        ['a refused item', {fields: {IncidentSeverities: 'Incident severity word "p0" names "SEV-0", which is not SEV-1, SEV-2, SEV-3, SEV-4 or SEV-5.'}}, 'alert', 'names "SEV-0"'],
        ['the Mattermost format', {hints: {IncidentSeverities: 'PagerTree\'s Mattermost (Outgoing Webhook) integration has no incident field, so a post with an incident severity word pages as a plain alert.'}}, 'status', 'has no incident field'],
    ])('shows the server\'s sentence: %s', async (_name, answer, role, text) => {
        mockCheck.mockResolvedValue(checkAnswer(answer));
        render(<IncidentSeverities {...consoleProps(ID, DEFAULT)}/>);
        expect(await screen.findByRole(role)).toHaveTextContent(text);
        expect(mockCheck).toHaveBeenCalledWith({incidentseverities: DEFAULT}, expect.any(AbortSignal));
    });

    test('a clean answer shows nothing; typing sets the value', async () => {
        const props = consoleProps(ID, 'sev-1=SEV-1 critical');
        render(
            <Stateful
                component={IncidentSeverities}
                props={props}
            />,
        );
        await waitFor(() => expect(mockCheck).toHaveBeenCalledTimes(1));
        expect(screen.queryByRole('alert')).toBeNull();
        expect(screen.queryByRole('status')).toBeNull();
        await userEvent.type(screen.getByRole('textbox'), ', p1=SEV-2');
        expect(props.onChange).toHaveBeenLastCalledWith(ID, 'sev-1=SEV-1 critical, p1=SEV-2');
        expect(props.setSaveNeeded).toHaveBeenCalled();
    });
});
