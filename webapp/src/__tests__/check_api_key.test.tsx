import {act, render, screen, waitFor} from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import React from 'react';

import {checkAnswer, consoleProps} from './helpers';

import {ApiError} from '../client';
import CheckAPIKey from '../components/check_api_key';
import {publish, resetScreenState} from '../screen_state';
import {resetSettingsCheck} from '../settings_check';

const mockCheck = jest.fn();
const mockSettingsCheck = jest.fn();
jest.mock('../client', () => ({
    ...jest.requireActual('../client'),
    checkAPIKey: (...a: unknown[]) => mockCheck(...a),
    checkSettings: (...a: unknown[]) => mockSettingsCheck(...a),
}));

beforeEach(() => {
    jest.clearAllMocks();
    resetScreenState();
    resetSettingsCheck();
    document.body.innerHTML = '';
    mockSettingsCheck.mockResolvedValue(checkAnswer());
});

describe('CheckAPIKey', () => {
    test('checks the key and URL on screen and shows PagerTree accepting it', async () => {
        let resolve: (v: unknown) => void = () => undefined;
        mockCheck.mockReturnValue(new Promise((r) => {
            resolve = r;
        }));
        publish('PluginSettings.Plugins.pagertree.apikey', 'ptk_typed');
        render(<CheckAPIKey {...consoleProps('CheckAPIKey', '')}/>);
        await userEvent.click(screen.getByRole('button', {name: 'Check API key'}));
        expect(screen.getByRole('button')).toHaveTextContent('Checking…');
        expect(screen.getByRole('button')).toBeDisabled();
        expect(mockCheck.mock.calls[0][0]).toMatchObject({apikey: 'ptk_typed'});
        await act(async () => resolve({ok: true, message: 'PagerTree accepted the API key: it sees 2 teams (Devops, DB).', host: 'api.pagertree.com', teams: 2}));
        expect(screen.getByTestId('api-key-result')).toHaveTextContent('PagerTree accepted the API key: it sees 2 teams (Devops, DB). (api.pagertree.com)');
        expect(screen.getByTestId('api-key-result').firstChild).toHaveClass('alert-success');
        expect(screen.getByRole('button')).toBeEnabled();
    });

    test('shows a rejected key as a failure', async () => {
        mockCheck.mockResolvedValue({ok: false, kind: 'bad_key', status: 401, message: 'PagerTree rejected the API key.', host: 'api.pagertree.com', teams: 0});
        render(<CheckAPIKey {...consoleProps('CheckAPIKey', '')}/>);
        await userEvent.click(screen.getByRole('button'));
        expect(await screen.findByText(/PagerTree rejected the API key/)).toBeInTheDocument();
        expect(screen.getByTestId('api-key-result').firstChild).toHaveClass('alert-danger');
    });

    test('shows the plugin\'s sentence when it refuses to send the saved key elsewhere', async () => {
        mockCheck.mockRejectedValue(new ApiError('The saved API key is only sent to the saved PagerTree API URL; type the key again to check it with pt.example.', 422));
        render(<CheckAPIKey {...consoleProps('CheckAPIKey', '')}/>);
        await userEvent.click(screen.getByRole('button'));
        expect(await screen.findByText(/type the key again/)).toBeInTheDocument();
    });

    test('shows what the server makes of the API URL on screen', async () => {
        document.body.innerHTML = '<input id="PluginSettings.Plugins.pagertree.apibaseurl" value="http://api.pagertree.com">';
        mockSettingsCheck.mockResolvedValue(checkAnswer({fields: {APIBaseURL: 'The PagerTree API URL must use https (plain http is only allowed for a host listed in …).'}}));
        const {unmount} = render(<CheckAPIKey {...consoleProps('CheckAPIKey', '')}/>);
        expect(await screen.findByTestId('api-url-problem')).toHaveTextContent('The PagerTree API URL must use https');
        expect(mockSettingsCheck).toHaveBeenCalledWith({apibaseurl: 'http://api.pagertree.com'}, expect.any(AbortSignal));
        unmount();
        resetSettingsCheck();
        mockSettingsCheck.mockResolvedValue(checkAnswer({hints: {APIBaseURL: 'pt.example.com is not a PagerTree host: PagerTree\'s API is https://api.pagertree.com (another URL is only for a PagerTree test server).'}}));
        render(<CheckAPIKey {...consoleProps('CheckAPIKey', '')}/>);
        await waitFor(() => expect(screen.getByTestId('api-url-hint')).toHaveTextContent('pt.example.com is not a PagerTree host'));
        expect(screen.queryByTestId('api-url-problem')).toBeNull();
    });
});
