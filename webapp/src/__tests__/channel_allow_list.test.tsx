import {render, screen, waitFor} from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import React from 'react';
import {Provider} from 'react-redux';
import {legacy_createStore as createStore} from 'redux';

import {consoleProps} from './helpers';

import ChannelAllowList from '../components/channel_allow_list';

const mockSearch = jest.fn();
const mockGetChannel = jest.fn();
const mockGetTeam = jest.fn();
jest.mock('mattermost-redux/client', () => ({
    Client4: {
        getUrl: () => '',
        setUrl: jest.fn(),
        searchAllChannels: (...a: unknown[]) => mockSearch(...a),
        getChannel: (...a: unknown[]) => mockGetChannel(...a),
        getTeam: (...a: unknown[]) => mockGetTeam(...a),
    },
}));

const OPS = 'opsopsopsopsopsopsopsopsop';
const OTHER = 'otherotherotherotherothero';
const state = {
    entities: {
        channels: {channels: {[OPS]: {id: OPS, display_name: 'Ops', team_id: 't1', type: 'O'}}},
        teams: {teams: {t1: {id: 't1', display_name: 'Acme'}}},
    },
};

function renderWithStore(value: string) {
    const props = consoleProps('ChannelAllowList', value);
    render(
        <Provider store={createStore(() => state)}>
            <ChannelAllowList {...props}/>
        </Provider>,
    );
    return props;
}

describe('ChannelAllowList', () => {
    beforeEach(() => jest.clearAllMocks());

    test('shows stored ids as team / channel, from the store or the server', async () => {
        mockGetChannel.mockResolvedValue({id: OTHER, display_name: 'Incidents', team_id: 't2'});
        mockGetTeam.mockResolvedValue({id: 't2', display_name: 'Beta'});
        renderWithStore(`${OPS}, ${OTHER}`);
        const items = screen.getAllByTestId('allowed-channel');
        expect(items[0]).toHaveTextContent('Acme / Ops');
        await waitFor(() => expect(items[1]).toHaveTextContent('Beta / Incidents'));
        expect(mockGetChannel).toHaveBeenCalledTimes(1);
    });

    test('searches by name and stores the picked channel by id', async () => {
        mockSearch.mockResolvedValue([
            {id: OTHER, display_name: 'Incidents', team_display_name: 'Beta', type: 'P'},
            {id: 'dm', display_name: 'dm', type: 'D'},
        ]);
        const props = renderWithStore(OPS);
        await userEvent.type(screen.getByPlaceholderText('Search channels by name…'), 'inc');
        const option = await screen.findByText('Beta / Incidents');
        expect(screen.queryByText('dm')).toBeNull();
        await userEvent.click(option);
        expect(props.onChange).toHaveBeenLastCalledWith('ChannelAllowList', `${OPS}, ${OTHER}`);
        expect(mockSearch).toHaveBeenCalledWith('inc', expect.anything());
    });

    test('remove takes a channel off the list; empty means all channels', async () => {
        const props = renderWithStore(OPS);
        await userEvent.click(screen.getByLabelText('Remove channel'));
        expect(props.onChange).toHaveBeenLastCalledWith('ChannelAllowList', '');
    });

    test('a failed search says so', async () => {
        mockSearch.mockRejectedValue(new Error('403'));
        renderWithStore('');
        expect(screen.getByText('All channels (no allow-list).')).toBeInTheDocument();
        await userEvent.type(screen.getByPlaceholderText('Search channels by name…'), 'ops');
        expect(await screen.findByText('Channel search failed: 403')).toBeInTheDocument();
    });
});
