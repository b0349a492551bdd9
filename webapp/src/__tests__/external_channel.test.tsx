import {render, screen, waitFor} from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import React from 'react';
import {Provider} from 'react-redux';
import {legacy_createStore as createStore} from 'redux';

import {checkAnswer, consoleProps} from './helpers';

import ExternalChannel from '../components/external_channel';
import {resetScreenState} from '../screen_state';
import {resetSettingsCheck} from '../settings_check';

const mockSearch = jest.fn();
const mockGetChannel = jest.fn();
const mockCheck = jest.fn();
jest.mock('../client', () => ({
    ...jest.requireActual('../client'),
    searchChannels: (...a: unknown[]) => mockSearch(...a),
    getChannel: (...a: unknown[]) => mockGetChannel(...a),
    getTeam: jest.fn(),
    checkSettings: (...a: unknown[]) => mockCheck(...a),
}));

const OPS = 'opsopsopsopsopsopsopsopsop';
const ALERTS = 'alertsalertsalertsalertsal';
const state = {
    entities: {
        channels: {channels: {[OPS]: {id: OPS, display_name: 'Ops', team_id: 't1', type: 'O'}}},
        teams: {teams: {t1: {id: 't1', display_name: 'Acme'}}},
    },
};

function renderWith(value: string) {
    const props = consoleProps('ExternalAlertsChannel', value);
    render(
        <Provider store={createStore(() => state)}>
            <ExternalChannel {...props}/>
        </Provider>,
    );
    return props;
}

describe('ExternalChannel', () => {
    beforeEach(() => {
        jest.clearAllMocks();
        resetScreenState();
        resetSettingsCheck();
        mockCheck.mockResolvedValue(checkAnswer());
    });

    test('empty says such alerts are not posted', () => {
        renderWith('');
        expect(screen.getByTestId('external-channel')).toHaveTextContent('Not posted: only alerts sent from Mattermost are followed.');
        expect(screen.queryByLabelText('Clear channel')).toBeNull();
    });

    test('shows the stored channel by name and clears it', async () => {
        const props = renderWith(OPS);
        expect(screen.getByTestId('external-channel')).toHaveTextContent('Acme / Ops');
        await userEvent.click(screen.getByLabelText('Clear channel'));
        expect(props.onChange).toHaveBeenLastCalledWith('ExternalAlertsChannel', '');
    });

    test('picking a channel replaces the one stored, by id; direct messages are not offered', async () => {
        mockSearch.mockResolvedValue([
            {id: ALERTS, display_name: 'Alerts', team_display_name: 'Acme', type: 'O'},
            {id: 'gm', display_name: 'a, b', type: 'G'},
        ]);
        const props = renderWith(OPS);
        await userEvent.type(screen.getByPlaceholderText('Search channels by name…'), 'ale');
        const option = await screen.findByText('Acme / Alerts');
        expect(screen.queryByText('a, b')).toBeNull();
        await userEvent.click(option);
        expect(props.onChange).toHaveBeenLastCalledWith('ExternalAlertsChannel', ALERTS);
    });

    test('a channel Save would refuse gets the server\'s sentence', async () => {
        mockCheck.mockResolvedValue(checkAnswer({fields: {ExternalAlertsChannel: 'The channel for alerts that did not come from Mattermost (~old) is archived.'}}));
        renderWith(OPS);
        expect(await screen.findByRole('alert')).toHaveTextContent('(~old) is archived.');
        await waitFor(() => expect(mockCheck).toHaveBeenCalledWith({externalalertschannel: OPS}, expect.any(AbortSignal)));
    });
});
