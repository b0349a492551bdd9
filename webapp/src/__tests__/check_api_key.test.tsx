import {act, render, screen} from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import React from 'react';

import {consoleProps} from './helpers';

import {ApiError} from '../client';
import CheckAPIKey from '../components/check_api_key';
import {publish, resetScreenState} from '../screen_state';

const mockCheck = jest.fn();
jest.mock('../client', () => ({
    ...jest.requireActual('../client'),
    checkAPIKey: (...a: unknown[]) => mockCheck(...a),
}));

beforeEach(() => {
    jest.clearAllMocks();
    resetScreenState();
    document.body.innerHTML = '';
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
});
