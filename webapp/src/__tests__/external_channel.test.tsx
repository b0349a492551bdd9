import {render, screen} from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import React from 'react';
import {Provider} from 'react-redux';
import {legacy_createStore as createStore} from 'redux';

import {consoleProps} from './helpers';

import ExternalChannel from '../components/external_channel';

const mockSearch = jest.fn();
const mockGetChannel = jest.fn();
jest.mock('mattermost-redux/client', () => ({
    Client4: {
        getUrl: () => '',
        setUrl: jest.fn(),
        searchAllChannels: (...a: unknown[]) => mockSearch(...a),
        getChannel: (...a: unknown[]) => mockGetChannel(...a),
        getTeam: jest.fn(),
    },
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
    beforeEach(() => jest.clearAllMocks());

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
});
