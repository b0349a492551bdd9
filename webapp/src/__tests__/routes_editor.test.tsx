import {render, screen, waitFor, within} from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import React, {useState} from 'react';
import {Provider} from 'react-redux';
import {legacy_createStore as createStore} from 'redux';

import {consoleProps} from './helpers';

import RouteTokens from '../components/route_tokens';
import RoutesEditor, {ROUTE_TOKENS_ID} from '../components/routes_editor';
import {PLACEHOLDER, parseRoutes, tokensValue} from '../routes/model';
import {resetScreenState, screenSettings} from '../screen_state';

const mockHooks = jest.fn();
const mockRemoveHook = jest.fn();
const mockSend = jest.fn();
const mockConvert = jest.fn();
const mockSaved = jest.fn();
jest.mock('../client', () => ({
    ...jest.requireActual('../client'),
    sendTestAlert: (...a: unknown[]) => mockSend(...a),
    convertWebhooks: (...a: unknown[]) => mockConvert(...a),
    savedRoutes: (...a: unknown[]) => mockSaved(...a),
    searchChannels: jest.fn().mockResolvedValue([]),
    searchTeams: jest.fn().mockResolvedValue([]),
    getChannel: jest.fn().mockResolvedValue({id: 'x', display_name: 'DB', team_id: ''}),
    getTeam: jest.fn().mockResolvedValue({id: 't', display_name: 'Network'}),
    listOutgoingWebhooks: (...a: unknown[]) => mockHooks(...a),
    deleteOutgoingWebhook: (...a: unknown[]) => mockRemoveHook(...a),
    previewMessage: jest.fn().mockResolvedValue({would_page: true, matches: [], urgency: {urgency: '', source: 'default'}}),
}));

const DB = {id: 'db', name: 'Database', channels: ['dbchandbchandbchandbchandb'], endpoint_url: 'https://api.pagertree.com/integration/int_db', trigger_words: 'db down'};
const NET = {id: 'net', name: 'Network', teams: ['netteamnetteamnetteamnette'], endpoint_url: 'https://api.pagertree.com/integration/int_net'};

beforeEach(() => {
    jest.clearAllMocks();
    resetScreenState();
});

// Both settings as the console renders them, each with its own value (the console keeps
// state by setting id): the editor first, the tokens' setting after it.
function renderEditor(routes: unknown[], tokens: string) {
    const routesProps = consoleProps('PluginSettings.Plugins.pagertree.routes', JSON.stringify(routes));
    function Console() {
        const [values, setValues] = useState<Record<string, unknown>>({[routesProps.id]: routesProps.value, [ROUTE_TOKENS_ID]: tokens});
        const onChange = (id: string, v: unknown) => {
            routesProps.onChange(id, v);
            setValues((old) => ({...old, [id]: v}));
        };
        return (
            <>
                <RoutesEditor
                    {...routesProps}
                    value={values[routesProps.id]}
                    onChange={onChange}
                />
                <RouteTokens {...consoleProps(ROUTE_TOKENS_ID, values[ROUTE_TOKENS_ID], {onChange})}/>
            </>
        );
    }
    render(
        <Provider store={createStore(() => ({entities: {channels: {channels: {}}, teams: {teams: {}}}}))}>
            <Console/>
        </Provider>,
    );
    return routesProps;
}

function lastWrite(props: ReturnType<typeof consoleProps>, id: string): unknown {
    const calls = (props.onChange as jest.Mock).mock.calls.filter((c: unknown[]) => c[0] === id);
    return calls.length ? calls[calls.length - 1][1] : undefined;
}

describe('tokensValue', () => {
    test('an untouched token is the placeholder when the server masked them, the saved one when it did not', () => {
        expect(JSON.parse(tokensValue([DB, NET], {masked: true, tokens: {}}, {net: 'new'}))).toEqual({db: PLACEHOLDER, net: 'new'});
        expect(JSON.parse(tokensValue([DB, NET], {masked: false, tokens: {db: 'old', gone: 'x'}}, {}))).toEqual({db: 'old'});
    });
});

describe('RoutesEditor', () => {
    test('editing a route writes the routes; typing one token keeps the others as the placeholder', async () => {
        const props = renderEditor([DB, NET], PLACEHOLDER);
        const cards = screen.getAllByTestId('route');
        expect(cards).toHaveLength(2);
        expect(within(cards[0]).getByText('Database · 1 channel')).toBeInTheDocument();
        await userEvent.type(within(cards[1]).getByLabelText('Name'), ' ops');
        expect(parseRoutes(lastWrite(props, props.id))[1].name).toBe('Network ops');
        expect(lastWrite(props, ROUTE_TOKENS_ID)).toBeUndefined(); // no token typed: the secret is not touched

        expect(within(cards[0]).getByLabelText('Token')).toHaveAttribute('placeholder', 'Saved token kept (type to replace it)');
        await userEvent.type(within(cards[1]).getByLabelText('Token'), 'net-token');
        expect(JSON.parse(lastWrite(props, ROUTE_TOKENS_ID) as string)).toEqual({db: PLACEHOLDER, net: 'net-token'});
        expect(screenSettings().routetokens).toBe(lastWrite(props, ROUTE_TOKENS_ID)); // the test button sends the same
    });

    test('add and remove routes; every message is for channel routes only', async () => {
        const props = renderEditor([NET], '');
        await userEvent.click(screen.getByRole('button', {name: 'Add route'}));
        const routes = parseRoutes(lastWrite(props, props.id));
        expect(routes).toHaveLength(2);
        expect(routes[1].id).toMatch(/^r[0-9a-z]{6,10}$/);
        const cards = screen.getAllByTestId('route');
        expect(within(cards[0]).getByRole('checkbox')).toBeDisabled(); // a team route
        await userEvent.click(within(cards[1]).getByRole('checkbox'));
        expect(parseRoutes(lastWrite(props, props.id))[1].every_message).toBe(true);
        await userEvent.click(within(cards[0]).getByRole('button', {name: 'Remove route Network'}));
        expect(parseRoutes(lastWrite(props, props.id)).map((r) => r.id)).toEqual([routes[1].id]);
        expect(JSON.parse(lastWrite(props, ROUTE_TOKENS_ID) as string)).toEqual({}); // the removed route's token goes
    });

    test('a test alert through one route names it', async () => {
        mockSend.mockResolvedValue({class: 'delivered', status_code: 200, meaning: 'accepted by PagerTree', endpoint_host: 'api.pagertree.com', format: 'mattermost', route_id: 'db', route_name: 'Database'});
        renderEditor([DB], PLACEHOLDER);
        await userEvent.click(screen.getByRole('button', {name: 'Send test alert through this route'}));
        expect(await screen.findByText(/PagerTree answered 200/)).toHaveTextContent('Sent through Database to api.pagertree.com.');
        expect(mockSend).toHaveBeenCalledWith(expect.objectContaining({routes: JSON.stringify([DB])}), 'db');
    });

    test('import: review, add with the webhooks\' tokens, delete a webhook once its route is saved', async () => {
        mockHooks.mockResolvedValue([{id: 'hook1'}, {id: 'hook2'}]);
        const made = {...NET, id: 'whhook1', imported_from: 'hook1', trigger_words: 'net', match_mode: 'first_word_is', format: 'mattermost'};
        mockConvert.mockResolvedValue({
            found: 2,
            routes: [{route: made, token: 'hook-token', webhook_id: 'hook1', warnings: ['it sends application/x-www-form-urlencoded; the plugin sends JSON']}],
            skipped: [{webhook_id: 'hook2', display_name: 'Slack relay', reason: 'none of its callback URLs is a PagerTree integration endpoint (…/integration/int_…)'}],
        });
        const props = renderEditor([DB], PLACEHOLDER);
        await userEvent.click(screen.getByRole('button', {name: 'Import from outgoing webhooks'}));
        const review = await screen.findByTestId('import-review');
        expect(review).toHaveTextContent('Found 2 outgoing webhooks: 1 becomes a route, 1 skipped.');
        expect(screen.getByTestId('import-route')).toHaveTextContent('Network — 1 team, api.pagertree.com, triggers net (first word is)');
        expect(screen.getByTestId('import-route')).toHaveTextContent('⚠ it sends application/x-www-form-urlencoded');
        expect(screen.getByTestId('import-skipped')).toHaveTextContent('Skipped Slack relay: none of its callback URLs');
        expect(mockHooks).toHaveBeenCalledTimes(1);
        expect(mockConvert).toHaveBeenCalledWith([{id: 'hook1'}, {id: 'hook2'}], JSON.stringify([DB]));

        await userEvent.click(screen.getByRole('button', {name: 'Add 1 route'}));
        expect(parseRoutes(lastWrite(props, props.id)).map((r) => r.id)).toEqual(['db', 'whhook1']);
        expect(JSON.parse(lastWrite(props, ROUTE_TOKENS_ID) as string)).toEqual({db: PLACEHOLDER, whhook1: 'hook-token'});

        mockSaved.mockResolvedValueOnce([{id: 'db', name: 'Database'}]);
        await userEvent.click(screen.getByRole('button', {name: 'I saved: offer to delete the imported webhooks'}));
        expect(await screen.findByText('1 of the new routes are not saved yet: press Save first.')).toBeInTheDocument();
        expect(screen.queryByRole('button', {name: /Delete the outgoing webhook/})).toBeNull();

        mockSaved.mockResolvedValueOnce([{id: 'db', name: 'Database'}, {id: 'whhook1', name: 'Network', imported_from: 'hook1'}]);
        mockRemoveHook.mockResolvedValue(undefined);
        await userEvent.click(screen.getByRole('button', {name: 'I saved: offer to delete the imported webhooks'}));
        await userEvent.click(await screen.findByRole('button', {name: 'Delete the outgoing webhook of Network'}));
        await waitFor(() => expect(screen.getByText('Deleted the outgoing webhook of Network: the route pages instead.')).toBeInTheDocument());
        expect(mockRemoveHook).toHaveBeenCalledWith('hook1');
    });
});
