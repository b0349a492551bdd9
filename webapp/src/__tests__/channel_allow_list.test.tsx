import {render, screen, waitFor} from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import React from 'react';
import {Provider} from 'react-redux';
import {legacy_createStore as createStore} from 'redux';

import {checkAnswer, consoleProps} from './helpers';

import {ApiError} from '../client';
import ChannelAllowList from '../components/channel_allow_list';
import {resetScreenState} from '../screen_state';
import {resetSettingsCheck} from '../settings_check';

// Every request goes through the client module: the mock stands in for the server.
const mockSearch = jest.fn();
const mockGetChannel = jest.fn();
const mockGetTeam = jest.fn();
const mockCheck = jest.fn();
jest.mock('../client', () => ({
    ...jest.requireActual('../client'),
    searchChannels: (...a: unknown[]) => mockSearch(...a),
    getChannel: (...a: unknown[]) => mockGetChannel(...a),
    getTeam: (...a: unknown[]) => mockGetTeam(...a),
    checkSettings: (...a: unknown[]) => mockCheck(...a),
}));

const OPS = 'opsopsopsopsopsopsopsopsop';
const OTHER = 'otherotherotherotherothero';
const state = {
    entities: {
        channels: {channels: {[OPS]: {id: OPS, display_name: 'Ops', team_id: 't1', type: 'O'}}},
        teams: {teams: {t1: {id: 't1', display_name: 'Acme'}}},
    },
};

// The server's reading of each value the tests use (paging.SplitList; a bad id is its sentence).
const READINGS: Record<string, {ids: string[]; field?: string}> = {
    '': {ids: []},
    [OPS]: {ids: [OPS]},
    [`${OPS}, ${OTHER}`]: {ids: [OPS, OTHER]},
    [`${OPS}, town-square`]: {ids: [OPS, 'town-square'], field: 'The channel allow-list holds "town-square", which is not a channel id (26 letters and digits).'},
};

function answerFor(settings: Record<string, string>) {
    const r = READINGS[settings.channelallowlist];
    if (!r) {
        return Promise.reject(new Error(`no reading for ${settings.channelallowlist}`));
    }
    return Promise.resolve(checkAnswer({lists: {ChannelAllowList: r.ids}, fields: r.field ? {ChannelAllowList: r.field} : {}}));
}

function renderWithStore(value: string) {
    const props = consoleProps('ChannelAllowList', value);
    render(
        <Provider store={createStore(() => state)}>
            <ChannelAllowList {...props}/>
        </Provider>,
    );
    return props;
}

beforeEach(() => {
    jest.clearAllMocks();
    resetScreenState();
    resetSettingsCheck();
    mockCheck.mockImplementation(answerFor);
});

describe('ChannelAllowList', () => {
    test('shows stored ids as team / channel, from the store or the server', async () => {
        mockGetChannel.mockResolvedValue({id: OTHER, display_name: 'Incidents', team_id: 't2'});
        mockGetTeam.mockResolvedValue({id: 't2', display_name: 'Beta'});
        renderWithStore(`${OPS}, ${OTHER}`);
        expect(screen.getByText('Reading the allow-list…')).toBeInTheDocument();
        await waitFor(() => expect(screen.getAllByTestId('allowed-channel')).toHaveLength(2));
        const items = screen.getAllByTestId('allowed-channel');
        expect(items[0]).toHaveTextContent('Acme / Ops');
        await waitFor(() => expect(items[1]).toHaveTextContent('Beta / Incidents'));
        expect(mockGetChannel).toHaveBeenCalledTimes(1);
        expect(mockGetChannel).toHaveBeenCalledWith(OTHER);
        expect(mockGetTeam).toHaveBeenCalledWith('t2');
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
        expect(mockSearch).toHaveBeenLastCalledWith('inc', expect.any(AbortSignal));
    });

    test('a search overtaken by a newer one is aborted', async () => {
        mockSearch.mockResolvedValue([]);
        renderWithStore(OPS);
        const box = screen.getByPlaceholderText('Search channels by name…');
        await userEvent.type(box, 'in');
        await waitFor(() => expect(mockSearch).toHaveBeenCalledTimes(1));
        await userEvent.type(box, 'c');
        await waitFor(() => expect(mockSearch).toHaveBeenCalledTimes(2));
        expect((mockSearch.mock.calls[0][1] as AbortSignal).aborted).toBe(true);
    });

    test('remove takes a channel off the list; empty means all channels', async () => {
        const props = renderWithStore(OPS);
        await waitFor(() => expect(screen.getByLabelText('Remove channel')).toBeEnabled());
        await userEvent.click(screen.getByLabelText('Remove channel'));
        expect(props.onChange).toHaveBeenLastCalledWith('ChannelAllowList', '');
    });

    test('a bad id gets the server\'s sentence', async () => {
        renderWithStore(`${OPS}, town-square`);
        expect(await screen.findByRole('alert')).toHaveTextContent('The channel allow-list holds "town-square", which is not a channel id (26 letters and digits).');
    });

    test('a failed search says so', async () => {
        mockSearch.mockRejectedValue(new ApiError('You do not have the appropriate permissions.', 403));
        renderWithStore('');
        expect(await screen.findByText('All channels (no allow-list).')).toBeInTheDocument();
        await userEvent.type(screen.getByPlaceholderText('Search channels by name…'), 'ops');
        expect(await screen.findByText('Channel search failed: You do not have the appropriate permissions.')).toBeInTheDocument();
    });
});
