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

import {ApiError, checkAPIKey, csrfToken, previewMessage, receiverInfo, recentDeliveries, regenerateReceiverCredentials, sendTestAlert, siteURL} from '../client';

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
});
