const mockPost = jest.fn();
const mockGet = jest.fn();
let interceptor: (c: {headers: Map<string, string> & {set: (k: string, v: string) => void}}) => unknown = (c) => c;
jest.mock('axios', () => ({
    create: () => ({
        post: (...a: unknown[]) => mockPost(...a),
        get: (...a: unknown[]) => mockGet(...a),
        interceptors: {request: {use: (fn: typeof interceptor) => {
            interceptor = fn;
        }}},
    }),
}));

import {ApiError, checkAPIKey, checkSettings, csrfToken, getChannel, getTeam, previewMessage, receiverInfo, recentDeliveries, regenerateReceiverCredentials, searchChannels, sendTestAlert, siteURL} from '../client';

describe('client', () => {
    beforeEach(() => jest.clearAllMocks());

    test('calls the plugin routes under the site URL, subpath included', async () => {
        window.basename = '/chat';
        mockPost.mockResolvedValue({data: {status_code: 200}});
        await sendTestAlert({token: 'x'});
        expect(mockPost).toHaveBeenCalledWith('http://localhost/chat/plugins/pagertree/api/v1/test', {settings: {token: 'x'}});
        await previewMessage({settings: {}, message: 'outage'});
        expect(mockPost.mock.calls[1][0]).toBe('http://localhost/chat/plugins/pagertree/api/v1/preview');
        mockGet.mockResolvedValue({data: {entries: [{alert_id: 'a'}]}});
        expect(await recentDeliveries(5)).toEqual([{alert_id: 'a'}]);
        expect(mockGet).toHaveBeenCalledWith('http://localhost/chat/plugins/pagertree/api/v1/deliveries', {params: {n: 5}});
        mockGet.mockResolvedValue({data: {username: 'pagertree'}});
        expect(await receiverInfo()).toEqual({username: 'pagertree'});
        expect(mockGet).toHaveBeenLastCalledWith('http://localhost/chat/plugins/pagertree/api/v1/receiver');
        mockPost.mockResolvedValue({data: {password: 'new'}});
        expect(await regenerateReceiverCredentials()).toEqual({password: 'new'});
        expect(mockPost).toHaveBeenLastCalledWith('http://localhost/chat/plugins/pagertree/api/v1/receiver/regenerate', {});
        window.basename = '';
        expect(siteURL()).toBe('http://localhost');
    });

    test('sends the CSRF token from the cookie', () => {
        document.cookie = 'MMCSRF=abc123';
        expect(csrfToken()).toBe('abc123');
        const headers = new Map<string, string>() as Map<string, string> & {set: (k: string, v: string) => void};
        interceptor({headers});
        expect(headers.get('X-CSRF-Token')).toBe('abc123');
        expect(headers.get('X-Requested-With')).toBe('XMLHttpRequest');
    });

    test('turns answers into ApiError with the plugin\'s sentence', async () => {
        mockPost.mockRejectedValue({response: {status: 403, data: {error: 'Only System Admins can use the PagerTree plugin API.'}}});
        await expect(sendTestAlert({})).rejects.toEqual(new ApiError('Only System Admins can use the PagerTree plugin API.', 403));
        mockPost.mockRejectedValue({response: {status: 400, data: {error: 'Enter the token again: the saved token is only sent to the saved endpoint.', field: 'Token'}}});
        await expect(sendTestAlert({})).rejects.toMatchObject({status: 400, field: 'Token', message: 'Enter the token again: the saved token is only sent to the saved endpoint.'});
        mockPost.mockRejectedValue({response: {status: 502, data: '<html>'}});
        await expect(previewMessage({settings: {}, message: 'x'})).rejects.toThrow('The plugin answered HTTP 502.');
        mockGet.mockRejectedValue({message: 'Network Error'});
        await expect(recentDeliveries()).rejects.toThrow('Could not reach the Mattermost server: Network Error');
    });

    test('checks the API key with only the key and API URL from the screen', async () => {
        mockPost.mockResolvedValue({data: {ok: true, message: 'accepted', host: 'h', teams: 1}});
        expect(await checkAPIKey({apikey: 'k', apibaseurl: 'https://api.pagertree.com', token: 'integration token', triggerwords: 'x'})).toEqual({ok: true, message: 'accepted', host: 'h', teams: 1});
        expect(mockPost).toHaveBeenCalledWith('http://localhost/plugins/pagertree/api/v1/apikey/check', {settings: {apikey: 'k', apibaseurl: 'https://api.pagertree.com'}});
        mockPost.mockRejectedValue({response: {status: 422, data: {error: 'No PagerTree API key is set.'}}});
        await expect(checkAPIKey({})).rejects.toEqual(new ApiError('No PagerTree API key is set.', 422));
    });

    test('asks the server about the settings on screen, abortable', async () => {
        mockPost.mockResolvedValue({data: {fields: {EndpointURL: 'The endpoint URL must use https.'}, hints: {}, lists: {}, choices: {}}});
        const ctrl = new AbortController();
        expect((await checkSettings({endpointurl: 'http://x'}, ctrl.signal)).fields.EndpointURL).toBe('The endpoint URL must use https.');
        expect(mockPost).toHaveBeenCalledWith('http://localhost/plugins/pagertree/api/v1/settings/check', {settings: {endpointurl: 'http://x'}}, {signal: ctrl.signal});
    });

    test('the channel pickers\' Mattermost requests go through the same instance, under the site URL', async () => {
        window.basename = '/chat';
        mockGet.mockResolvedValue({data: {id: 'c1', display_name: 'Ops'}});
        expect(await getChannel('c1')).toEqual({id: 'c1', display_name: 'Ops'});
        expect(mockGet).toHaveBeenLastCalledWith('http://localhost/chat/api/v4/channels/c1');
        mockGet.mockResolvedValue({data: {id: 't1', display_name: 'Acme'}});
        expect(await getTeam('t1')).toEqual({id: 't1', display_name: 'Acme'});
        expect(mockGet).toHaveBeenLastCalledWith('http://localhost/chat/api/v4/teams/t1');
        const ctrl = new AbortController();
        mockPost.mockResolvedValue({data: {channels: [{id: 'c1'}], total_count: 1}}); // the paged answer
        expect(await searchChannels('ops', ctrl.signal)).toEqual([{id: 'c1'}]);
        expect(mockPost).toHaveBeenLastCalledWith('http://localhost/chat/api/v4/channels/search',
            {term: 'ops', per_page: 20, public: true, private: true},
            {params: {include_deleted: false, exclude_remote: false}, signal: ctrl.signal});
        mockPost.mockResolvedValue({data: [{id: 'c2'}]}); // older servers answer a plain list
        expect(await searchChannels('ops')).toEqual([{id: 'c2'}]);
        window.basename = '';
    });

    test('Mattermost\'s own refusals keep its sentence', async () => {
        mockGet.mockRejectedValue({response: {status: 403, data: {id: 'api.context.permissions.app_error', message: 'You do not have the appropriate permissions.'}}});
        await expect(getChannel('c1')).rejects.toEqual(new ApiError('You do not have the appropriate permissions.', 403));
        mockPost.mockRejectedValue({response: {status: 502, data: ''}});
        await expect(searchChannels('x')).rejects.toThrow('Mattermost answered HTTP 502.');
    });
});
