import {act, render, screen, waitFor} from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import React from 'react';

import {checkAnswer, consoleProps} from './helpers';

import {ApiError} from '../client';
import RecentDeliveries from '../components/recent_deliveries';
import SendTestAlert from '../components/send_test_alert';
import Token from '../components/token';
import TryMessage from '../components/try_message';
import {publish, resetScreenState} from '../screen_state';
import {resetSettingsCheck} from '../settings_check';
import type {PreviewResult} from '../types';

const mockSend = jest.fn();
const mockPreview = jest.fn();
const mockDeliveries = jest.fn();
const mockResend = jest.fn();
const mockSettingsCheck = jest.fn();
jest.mock('../client', () => ({
    ...jest.requireActual('../client'),
    checkSettings: (...a: unknown[]) => mockSettingsCheck(...a),
    sendTestAlert: (...a: unknown[]) => mockSend(...a),
    previewMessage: (...a: unknown[]) => mockPreview(...a),
    recentDeliveries: (...a: unknown[]) => mockDeliveries(...a),
    resendAlert: (...a: unknown[]) => mockResend(...a),
}));

beforeEach(() => {
    jest.clearAllMocks();
    resetScreenState();
    resetSettingsCheck();
    mockSettingsCheck.mockResolvedValue(checkAnswer());
});

describe('SendTestAlert', () => {
    test('sends the values on screen and shows PagerTree accepting', async () => {
        let resolve: (v: unknown) => void = () => undefined;
        mockSend.mockReturnValue(new Promise((r) => {
            resolve = r;
        }));
        publish('EndpointURL', 'https://api.pagertree.com/integration/int_1');
        publish('Token', '********************************');
        render(<SendTestAlert {...consoleProps('SendTestAlert', '')}/>);
        await userEvent.click(screen.getByRole('button', {name: 'Send test alert'}));
        expect(screen.getByRole('button')).toHaveTextContent('Sending…');
        expect(screen.getByRole('button')).toBeDisabled();
        expect(mockSend).toHaveBeenCalledWith({endpointurl: 'https://api.pagertree.com/integration/int_1', token: '********************************'});
        await act(async () => resolve({class: 'delivered', status_code: 200, meaning: 'accepted by PagerTree', endpoint_host: 'api.pagertree.com', format: 'mattermost'}));
        expect(screen.getByTestId('test-result')).toHaveTextContent('PagerTree answered 200: accepted by PagerTree. Sent to api.pagertree.com (Mattermost (Outgoing Webhook) format).'); // the format's label from plugin.json
        expect(screen.getByRole('button')).toBeEnabled();
    });

    test.each([
        [{class: 'permanent', status_code: 403, meaning: 'PagerTree rejected the token', endpoint_host: 'h', format: 'webhook'}, 'PagerTree answered 403: PagerTree rejected the token. Sent to h (Webhook format).'],
        [{class: 'transient', status_code: 0, meaning: 'could not connect to PagerTree', error: 'connection refused', endpoint_host: 'h', format: 'mattermost'}, 'No answer from PagerTree. could not connect to PagerTree. (connection refused)'],
    ])('shows a failing answer', async (result, text) => {
        mockSend.mockResolvedValue(result);
        render(<SendTestAlert {...consoleProps('SendTestAlert', '')}/>);
        await userEvent.click(screen.getByRole('button'));
        expect(await screen.findByText(new RegExp(text.slice(0, 20)))).toBeInTheDocument();
        expect(screen.getByTestId('test-result').firstChild).toHaveClass('alert-danger');
        expect(screen.getByTestId('test-result')).toHaveTextContent(text);
    });

    test('shows the plugin\'s sentence when the settings are invalid', async () => {
        mockSend.mockRejectedValue(new ApiError('Fix the settings first: no trigger words are set.', 422));
        render(<SendTestAlert {...consoleProps('SendTestAlert', '')}/>);
        await userEvent.click(screen.getByRole('button'));
        expect(await screen.findByText('Fix the settings first: no trigger words are set.')).toBeInTheDocument();
    });
});

const paging: PreviewResult = {
    would_page: true,
    matches: [{trigger: 'outage', start: 9, end: 15}],
    trigger: 'outage',
    urgency: {urgency: 'high', source: 'word', word: 'high'},
    pagertree_text: '[high] 🔥db slow outage high',
    pagertree_reads: 'high',
};

describe('TryMessage', () => {
    test('asks the plugin with the on-screen settings and highlights the trigger', async () => {
        mockPreview.mockResolvedValue({...paging, matches: [{trigger: 'outage', start: 12, end: 18}]});
        publish('TriggerWords', 'outage');
        render(<TryMessage {...consoleProps('TryMessage', '')}/>);
        await userEvent.type(screen.getByRole('textbox'), '🔥db slow outage high');
        await waitFor(() => expect(screen.getByTestId('preview-result')).toHaveTextContent('Would page PagerTree'));
        expect(mockPreview).toHaveBeenLastCalledWith(
            {settings: {triggerwords: 'outage'}, message: '🔥db slow outage high', channel_type: 'O', from_bot: false},
            expect.any(AbortSignal),
        );
        expect(screen.getByTitle('trigger: outage')).toHaveTextContent(/^outage$/);
        expect(screen.getByTestId('preview-result')).toHaveTextContent('Urgency: high — from a level word in the message ("high")');
        expect(screen.getByTestId('preview-result')).toHaveTextContent('PagerTree receives: "[high] 🔥db slow outage high" so that it reads high.');
    });

    test('says the server\'s sentence on an incident', async () => {
        mockPreview.mockResolvedValue({
            ...paging,
            matches: [{trigger: 'sev-1', start: 0, end: 5}],
            urgency: {urgency: 'critical', source: 'severity', word: 'sev-1'},
            severity: {severity: 'SEV-1', word: 'sev-1', urgency: 'critical'},
            incident: 'Incident SEV-1 (from "sev-1").',
            pagertree_text: undefined,
        });
        render(<TryMessage {...consoleProps('TryMessage', '')}/>);
        await userEvent.type(screen.getByRole('textbox'), 'sev-1 checkout is down');
        await waitFor(() => expect(screen.getByTestId('preview-incident')).toHaveTextContent('Incident SEV-1 (from "sev-1").'));
        expect(screen.getByTestId('preview-result')).toHaveTextContent('Urgency: critical — from an incident severity word ("sev-1")');
    });

    test('names no incident for a plain alert', async () => {
        mockPreview.mockResolvedValue({...paging, matches: [{trigger: 'outage', start: 12, end: 18}]});
        render(<TryMessage {...consoleProps('TryMessage', '')}/>);
        await userEvent.type(screen.getByRole('textbox'), '🔥db slow outage high');
        await waitFor(() => expect(screen.getByTestId('preview-result')).toHaveTextContent('Would page PagerTree'));
        expect(screen.queryByTestId('preview-incident')).toBeNull();
    });

    test('says exactly why a message would not page', async () => {
        mockPreview.mockResolvedValue({would_page: false, reason: 'the channel is private and "Watch private channels" is off', matches: [{trigger: 'outage', start: 0, end: 6}], urgency: {urgency: '', source: 'default'}});
        render(<TryMessage {...consoleProps('TryMessage', '')}/>);
        await userEvent.selectOptions(screen.getByRole('combobox'), 'P');
        await userEvent.type(screen.getByRole('textbox'), 'outage');
        await waitFor(() => expect(screen.getByTestId('preview-result')).toHaveTextContent('Would not page: the channel is private'));
        expect(screen.getByTestId('preview-result')).toHaveTextContent('Urgency: PagerTree integration default — from the default urgency');
        expect(mockPreview.mock.calls[mockPreview.mock.calls.length - 1][0].channel_type).toBe('P');
    });

    test('re-asks when another setting changes on screen', async () => {
        mockPreview.mockResolvedValue({...paging, matches: []});
        render(<TryMessage {...consoleProps('TryMessage', '')}/>);
        await userEvent.type(screen.getByRole('textbox'), 'x');
        await waitFor(() => expect(mockPreview).toHaveBeenCalledTimes(1));
        act(() => publish('TriggerWords', 'x'));
        await waitFor(() => expect(mockPreview).toHaveBeenCalledTimes(2));
    });

    test('shows an API error', async () => {
        mockPreview.mockRejectedValue(new ApiError('Only System Admins can use the PagerTree plugin API.', 403));
        render(<TryMessage {...consoleProps('TryMessage', '')}/>);
        await userEvent.type(screen.getByRole('textbox'), 'outage');
        expect(await screen.findByText('Only System Admins can use the PagerTree plugin API.')).toBeInTheDocument();
    });
});

describe('RecentDeliveries', () => {
    test('lists deliveries with their result, failures visible', async () => {
        mockDeliveries.mockResolvedValue([
            {time: '2026-11-27T12:00:00Z', alert_id: 'a', channel_name: 'ops', user_name: 'alice', trigger: 'outage', urgency: 'high', status: 'failed', attempts: 1, status_code: 403, meaning: 'PagerTree rejected the token'},
            {time: '2026-11-27T11:00:00Z', alert_id: 'b', channel_name: 'ops', user_name: 'bob', trigger: 'sev-1', urgency: '', status: 'delivered', attempts: 3, status_code: 200, meaning: 'accepted by PagerTree'},
        ]);
        render(<RecentDeliveries {...consoleProps('RecentDeliveries', '')}/>);
        const rows = await screen.findAllByRole('row');
        expect(rows).toHaveLength(3);
        expect(rows[1]).toHaveTextContent('failed · 403 · PagerTree rejected the token');
        expect(rows[1]).toHaveClass('pagertree-status--failed');
        expect(rows[2]).toHaveTextContent('delivered · 200 · 3 attempts');
        await userEvent.click(screen.getByText('Refresh'));
        expect(mockDeliveries).toHaveBeenCalledTimes(2);
    });

    test('Resend on the row the server marks resendable queues it again and refreshes', async () => {
        mockDeliveries.mockResolvedValue([
            {time: '2026-11-27T12:05:00Z', alert_id: 'a', channel_name: 'ops', user_name: 'alice', trigger: 'outage', urgency: 'high', status: 'failed', attempts: 1, status_code: 403, meaning: 'PagerTree rejected the token', resent: {number: 1, by: 'u1'}, resendable: true},
            {time: '2026-11-27T12:00:00Z', alert_id: 'a', channel_name: 'ops', user_name: 'alice', trigger: 'outage', urgency: 'high', status: 'failed', attempts: 1, status_code: 403, meaning: 'PagerTree rejected the token'},
            {time: '2026-11-27T11:00:00Z', alert_id: 't', channel_name: '', user_name: 'admin', trigger: 'test', urgency: '', status: 'failed', attempts: 1, status_code: 403, test: true},
            {time: '2026-11-27T10:00:00Z', alert_id: 'b', channel_name: 'ops', user_name: 'bob', trigger: 'sev-1', urgency: '', status: 'delivered', attempts: 1, status_code: 200},
        ]);
        mockResend.mockResolvedValue({alert_id: 'a', queued: true, message: 'Queued again for PagerTree with the saved settings.'});
        render(<RecentDeliveries {...consoleProps('RecentDeliveries', '')}/>);
        const rows = await screen.findAllByRole('row');
        expect(rows[1]).toHaveTextContent('failed (resend 1)');
        const buttons = screen.getAllByRole('button', {name: 'Resend'});
        expect(buttons).toHaveLength(1); // the server's rule: not the older try, not the test alert, not a delivered one
        expect(rows[1]).toContainElement(buttons[0]);
        await userEvent.click(buttons[0]);
        expect(mockResend).toHaveBeenCalledWith('a');
        expect(await screen.findByText('Queued again for PagerTree with the saved settings.')).toBeInTheDocument();
        await waitFor(() => expect(mockDeliveries).toHaveBeenCalledTimes(2));
    });

    test('a refused resend shows the server\'s sentence', async () => {
        mockDeliveries.mockResolvedValue([
            {time: '2026-11-27T12:00:00Z', alert_id: 'a', channel_name: 'ops', user_name: 'alice', trigger: 'outage', urgency: 'high', status: 'failed', attempts: 1, status_code: 404, resendable: true},
        ]);
        mockResend.mockRejectedValue(new ApiError('That alert was delivered; there is nothing to resend.', 409));
        render(<RecentDeliveries {...consoleProps('RecentDeliveries', '')}/>);
        await userEvent.click(await screen.findByRole('button', {name: 'Resend'}));
        expect(await screen.findByText('That alert was delivered; there is nothing to resend.')).toBeInTheDocument();
    });

    test('empty and error states', async () => {
        mockDeliveries.mockResolvedValueOnce([]);
        const {unmount} = render(<RecentDeliveries {...consoleProps('RecentDeliveries', '')}/>);
        expect(await screen.findByText('No deliveries yet.')).toBeInTheDocument();
        unmount();
        mockDeliveries.mockRejectedValueOnce(new ApiError('The delivery history could not be read from the database.', 500));
        render(<RecentDeliveries {...consoleProps('RecentDeliveries', '')}/>);
        expect(await screen.findByText('The delivery history could not be read from the database.')).toBeInTheDocument();
    });
});

describe('Send test alert with the saved token and another endpoint', () => {
    test('the token field shows the server\'s sentence and takes the focus', async () => {
        const sentence = 'Enter the token again: the saved token is only sent to the saved endpoint.';
        mockSend.mockRejectedValue(new ApiError(sentence, 400, 'Token'));
        const tokenProps = consoleProps('PluginSettings.Plugins.pagertree.token', '********************************');
        render(
            <>
                <Token {...tokenProps}/>
                <SendTestAlert {...consoleProps('SendTestAlert', '')}/>
            </>,
        );
        await userEvent.click(screen.getByRole('button', {name: 'Send test alert'}));
        expect(await screen.findByTestId('test-result')).toHaveTextContent(sentence);
        const input = screen.getByDisplayValue('********************************');
        expect(screen.getByRole('alert', {name: ''})).toHaveTextContent(sentence);
        expect(input).toHaveFocus();
        expect(input).toHaveAttribute('aria-invalid', 'true');
        await userEvent.type(input, 'x');
        expect(input).toHaveAttribute('aria-invalid', 'false');
    });
});
