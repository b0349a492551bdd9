import {render, screen, waitFor} from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import React from 'react';

import {consoleProps} from './helpers';

import {ApiError} from '../client';
import ReceiverSetup from '../components/receiver_setup';
import type {ReceiverInfo} from '../types';

const mockInfo = jest.fn();
const mockRegenerate = jest.fn();
jest.mock('../client', () => ({
    ...jest.requireActual('../client'),
    receiverInfo: (...a: unknown[]) => mockInfo(...a),
    regenerateReceiverCredentials: (...a: unknown[]) => mockRegenerate(...a),
}));

const info: ReceiverInfo = {
    url: 'https://chat.example.com/plugins/pagertree/api/v1/pagertree/events',
    secret_url: 'https://chat.example.com/plugins/pagertree/api/v1/pagertree/events/s3cr3t-in-the-path',
    advice: {mode: 'basic_auth', text: 'Basic auth reaches the plugin on this server (the last event\'s Authorization header arrived).'},
    username: 'pagertree',
    password: 'pw-one',
    created: '2026-01-01T00:00:00Z',
    last_event: null,
    events: ['alert.acknowledged', 'alert.resolved'],
};

const writeText = jest.fn();
beforeEach(() => {
    jest.clearAllMocks();
    Object.assign(navigator, {clipboard: {writeText}});
});

describe('ReceiverSetup', () => {
    test('shows the URL, the credentials with the password hidden, the steps and no event yet', async () => {
        mockInfo.mockResolvedValue(info);
        render(<ReceiverSetup {...consoleProps('ReceiverSetup', '')}/>);
        expect(await screen.findByLabelText('Receiver URL')).toHaveTextContent(info.url);
        expect(screen.getByLabelText('Username')).toHaveTextContent('pagertree');
        expect(screen.getByLabelText('Password')).not.toHaveTextContent('pw-one');
        await userEvent.click(screen.getByRole('button', {name: 'Show Password'}));
        expect(screen.getByLabelText('Password')).toHaveTextContent('pw-one');
        expect(screen.getByTestId('receiver')).toHaveTextContent('Outgoing Webhook');
        expect(screen.getByTestId('receiver')).toHaveTextContent('alert.acknowledged, alert.resolved');
        expect(screen.getByTestId('last-event')).toHaveTextContent('No event received from PagerTree yet.');
    });

    test('where basic auth does not arrive: the URL with the secret, masked, copied whole, and basic auth left empty', async () => {
        const text = 'Mattermost 7.4.0 removes the Authorization header from every request to a plugin (fixed in 9.4), so basic auth cannot work here.';
        mockInfo.mockResolvedValue({...info, advice: {mode: 'secret_url', text}});
        writeText.mockResolvedValue(undefined);
        render(<ReceiverSetup {...consoleProps('ReceiverSetup', '')}/>);
        const url = await screen.findByLabelText('Receiver URL with the secret');
        expect(url).not.toHaveTextContent('s3cr3t');
        expect(screen.getByTestId('paste-advice')).toHaveTextContent(text);
        expect(screen.getByTestId('receiver')).toHaveTextContent('Leave basic auth empty');
        expect(screen.queryByLabelText('Password')).toBeNull();
        await userEvent.click(screen.getByRole('button', {name: 'Copy Receiver URL with the secret'}));
        expect(writeText).toHaveBeenCalledWith(info.secret_url);
        await userEvent.click(screen.getByRole('button', {name: 'Show Receiver URL with the secret'}));
        expect(url).toHaveTextContent(info.secret_url);
    });

    test('where basic auth arrives: the plain URL with the credentials, the secret URL as the other way, masked', async () => {
        mockInfo.mockResolvedValue(info);
        render(<ReceiverSetup {...consoleProps('ReceiverSetup', '')}/>);
        expect(await screen.findByTestId('paste-advice')).toHaveTextContent('Basic auth reaches the plugin on this server');
        expect(screen.getByLabelText('Receiver URL with the secret')).not.toHaveTextContent('s3cr3t');
        expect(screen.getByTestId('receiver')).not.toHaveTextContent('s3cr3t');
    });

    test('says whether the card has Acknowledge and Resolve buttons, and why not', async () => {
        mockInfo.mockResolvedValue({...info, actions: 'None: the Mattermost (Outgoing Webhook) integration cannot acknowledge or resolve alerts.'});
        render(<ReceiverSetup {...consoleProps('ReceiverSetup', '')}/>);
        expect(await screen.findByTestId('card-actions')).toHaveTextContent('cannot acknowledge or resolve alerts');
    });

    test('copy buttons put the exact value on the clipboard', async () => {
        mockInfo.mockResolvedValue(info);
        writeText.mockResolvedValue(undefined);
        render(<ReceiverSetup {...consoleProps('ReceiverSetup', '')}/>);
        await userEvent.click(await screen.findByRole('button', {name: 'Copy Password'}));
        expect(writeText).toHaveBeenCalledWith('pw-one');
        expect(await screen.findByRole('status')).toHaveTextContent('Copied');
        await userEvent.click(screen.getByRole('button', {name: 'Copy Receiver URL'}));
        expect(writeText).toHaveBeenLastCalledWith(info.url);
    });

    test('regenerate asks first, then shows the new password', async () => {
        mockInfo.mockResolvedValue(info);
        mockRegenerate.mockResolvedValue({...info, password: 'pw-two'});
        render(<ReceiverSetup {...consoleProps('ReceiverSetup', '')}/>);
        await userEvent.click(await screen.findByRole('button', {name: 'Regenerate the URL secret and password'}));
        expect(mockRegenerate).not.toHaveBeenCalled();
        expect(screen.getByTestId('receiver')).toHaveTextContent('PagerTree will be refused until you paste the new URL secret or password');
        await userEvent.click(screen.getByRole('button', {name: 'Regenerate now'}));
        await userEvent.click(await screen.findByRole('button', {name: 'Show Password'}));
        await waitFor(() => expect(screen.getByLabelText('Password')).toHaveTextContent('pw-two'));
        expect(mockRegenerate).toHaveBeenCalledTimes(1);
    });

    test('shows the last event and a missing Site URL', async () => {
        mockInfo.mockResolvedValue({...info, url: '', problem: 'Set the Site URL in System Console > Web Server.', last_event: {at: '2026-01-01T10:00:00Z', type: 'alert.resolved', matched: true}});
        render(<ReceiverSetup {...consoleProps('ReceiverSetup', '')}/>);
        expect(await screen.findByText('Set the Site URL in System Console > Web Server.')).toBeInTheDocument();
        expect(screen.getByTestId('last-event')).toHaveTextContent(/Last event received at .* \(alert\.resolved\)\./);
    });

    test('says how updates arrive and when PagerTree was last polled', async () => {
        mockInfo.mockResolvedValue({...info, updates: 'polled from PagerTree\'s API every 30s', last_poll: {at: '2026-01-01T10:00:00Z', checked: 3, changed: 1, problem: 'PagerTree rejected the API key'}});
        render(<ReceiverSetup {...consoleProps('ReceiverSetup', '')}/>);
        expect(await screen.findByTestId('updates')).toHaveTextContent('Updates arrive: polled from PagerTree\'s API every 30s.');
        expect(screen.getByTestId('last-poll')).toHaveTextContent(/Last poll of PagerTree at .*: 3 alerts checked, 1 changed; failed: PagerTree rejected the API key\./);
    });

    test('shows the plugin\'s sentence when it cannot load', async () => {
        mockInfo.mockRejectedValue(new ApiError('Only System Admins can use the PagerTree plugin API.', 403));
        render(<ReceiverSetup {...consoleProps('ReceiverSetup', '')}/>);
        expect(await screen.findByText('Only System Admins can use the PagerTree plugin API.')).toBeInTheDocument();
    });
});
