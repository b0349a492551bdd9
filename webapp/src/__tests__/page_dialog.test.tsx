import {act, fireEvent, render, screen, waitFor} from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import React from 'react';

import {ApiError} from '../client';
import {openPageDialog, closePageDialog} from '../page_dialog/open_state';
import PageDialogRoot, {PageDialog} from '../page_dialog/page_dialog';
import type {PagePrefill} from '../types';

const mockPrefill = jest.fn();
const mockPage = jest.fn();
jest.mock('../client', () => ({
    ...jest.requireActual('../client'),
    pagePrefill: (...a: unknown[]) => mockPrefill(...a),
    pageFromPost: (...a: unknown[]) => mockPage(...a),
}));

// prefill is the server's answer for a message in a channel with its own route (as the Go test
// TestPageFromPostPrefill checks its shape).
function prefill(extra: Partial<PagePrefill> = {}): PagePrefill {
    return {
        post_id: 'post1',
        author: 'bob',
        channel: 'Ops',
        title: 'checkout is failing',
        title_max: 120,
        note_max: 1000,
        routes: [{key: 'db', label: 'Database', urgency: 'high'}, {key: '@default', label: 'Default route', urgency: ''}],
        route: 'db',
        urgencies: [{value: '', label: 'PagerTree default'}, {value: 'low', label: 'low'}, {value: 'medium', label: 'medium'}, {value: 'high', label: 'high'}, {value: 'critical', label: 'critical'}],
        severities: [{value: '', label: 'None (not an incident)'}, ...[1, 2, 3, 4, 5].map((n) => ({value: `SEV-${n}`, label: `SEV-${n}`}))],
        ...extra,
    };
}

jest.setTimeout(20000); // the machine is shared and slow

beforeEach(() => {
    jest.clearAllMocks();
    closePageDialog();
});

describe('the Page PagerTree dialog', () => {
    test('starts with the server\'s choices, follows the chosen route\'s urgency, and pages with what is on screen', async () => {
        mockPrefill.mockResolvedValue(prefill());
        mockPage.mockResolvedValue({message: 'PagerTree is being paged through the route "Database". The status card appears in the message\'s thread.', alert_id: 'a1', permalink: 'x'});
        const onClose = jest.fn();
        render(
            <PageDialog
                postId='post1'
                onClose={onClose}
            />,
        );
        const title = await screen.findByLabelText('Title');
        expect(mockPrefill).toHaveBeenCalledWith('post1');
        expect(title).toHaveValue('checkout is failing');
        expect(title).toHaveFocus();
        expect(screen.getByText('From a message by @bob in Ops. PagerTree gets the message, its author and a link to it.')).toBeInTheDocument();
        expect(screen.getByLabelText('Route')).toHaveValue('db');
        expect(screen.getByRole('option', {name: 'Database (this channel\'s)'})).toBeInTheDocument();
        expect(screen.getByLabelText('Urgency')).toHaveValue('high');

        await userEvent.selectOptions(screen.getByLabelText('Route'), '@default');
        expect(screen.getByLabelText('Urgency')).toHaveValue(''); // the default route reads none
        await userEvent.selectOptions(screen.getByLabelText('Urgency'), 'critical');
        await userEvent.selectOptions(screen.getByLabelText('Route'), 'db');
        expect(screen.getByLabelText('Urgency')).toHaveValue('critical'); // chosen by hand: kept
        await userEvent.selectOptions(screen.getByLabelText('Incident severity'), 'SEV-2');
        fireEvent.change(title, {target: {value: 'Checkout down'}});
        expect(screen.getByText('13/120')).toBeInTheDocument();
        fireEvent.change(screen.getByLabelText('Note for the on-call engineer (optional)'), {target: {value: 'customers are calling'}});
        await userEvent.click(screen.getByRole('button', {name: 'Page PagerTree'}));

        expect(mockPage).toHaveBeenCalledWith({post_id: 'post1', route: 'db', urgency: 'critical', severity: 'SEV-2', title: 'Checkout down', note: 'customers are calling'});
        expect(await screen.findByRole('status')).toHaveTextContent('PagerTree is being paged through the route "Database".');
        await userEvent.click(screen.getByRole('button', {name: 'Close'}));
        expect(onClose).toHaveBeenCalled();
    });

    test('shows the server\'s sentence and marks the field it names; the form stays as typed', async () => {
        mockPrefill.mockResolvedValue(prefill());
        mockPage.mockRejectedValue(new ApiError('The note is 1001 characters; it holds at most 1000.', 400, 'note'));
        render(
            <PageDialog
                postId='post1'
                onClose={jest.fn()}
            />,
        );
        fireEvent.change(await screen.findByLabelText('Note for the on-call engineer (optional)'), {target: {value: 'x'}});
        await userEvent.click(screen.getByRole('button', {name: 'Page PagerTree'}));
        expect(await screen.findByRole('alert')).toHaveTextContent('The note is 1001 characters; it holds at most 1000.');
        expect(screen.getByLabelText('Note for the on-call engineer (optional)')).toHaveAttribute('aria-invalid', 'true');
        expect(screen.getByLabelText('Note for the on-call engineer (optional)')).toHaveValue('x');
        expect(screen.getByLabelText('Title')).not.toHaveAttribute('aria-invalid');
        expect(screen.getByRole('button', {name: 'Page PagerTree'})).toBeEnabled();
        fireEvent.change(screen.getByLabelText('Note for the on-call engineer (optional)'), {target: {value: 'shorter'}});
        expect(screen.queryByRole('alert')).toBeNull(); // corrected: the sentence goes
        expect(screen.getByLabelText('Note for the on-call engineer (optional)')).not.toHaveAttribute('aria-invalid');
    });

    test('a thread that already paged offers its card, whether the prefill or the page says so', async () => {
        mockPrefill.mockResolvedValueOnce(prefill({already_paged: {error: 'This thread already paged PagerTree: open its status card to follow or act on that alert.', permalink: 'https://chat.example.com/acme/pl/card1'}}));
        const {unmount} = render(
            <PageDialog
                postId='post1'
                onClose={jest.fn()}
            />,
        );
        expect(await screen.findByRole('alert')).toHaveTextContent('This thread already paged PagerTree');
        expect(screen.getByRole('link', {name: 'Open its card'})).toHaveAttribute('href', 'https://chat.example.com/acme/pl/card1');
        expect(screen.queryByLabelText('Title')).toBeNull();
        unmount();

        mockPrefill.mockResolvedValueOnce(prefill());
        mockPage.mockRejectedValue(new ApiError('This thread already paged PagerTree; its status card appears in the thread once PagerTree has the alert.', 409, undefined, 'https://chat.example.com/acme/pl/post1'));
        render(
            <PageDialog
                postId='post1'
                onClose={jest.fn()}
            />,
        );
        await userEvent.click(await screen.findByRole('button', {name: 'Page PagerTree'}));
        expect(await screen.findByRole('alert')).toHaveTextContent('its status card appears in the thread once PagerTree has the alert');
        expect(screen.getByRole('link', {name: 'Open its card'})).toHaveAttribute('href', 'https://chat.example.com/acme/pl/post1');
    });

    test('a message the server will not page says why, and nothing else', async () => {
        mockPrefill.mockRejectedValue(new ApiError('That message was not found, or you cannot read it.', 404));
        render(
            <PageDialog
                postId='post1'
                onClose={jest.fn()}
            />,
        );
        expect(await screen.findByRole('alert')).toHaveTextContent('That message was not found, or you cannot read it.');
        expect(screen.queryByRole('button', {name: 'Page PagerTree'})).toBeNull();
    });

    test('the root component opens for the message the menu action names, and Escape closes it', async () => {
        mockPrefill.mockResolvedValue(prefill());
        render(<PageDialogRoot/>);
        expect(screen.queryByRole('dialog')).toBeNull();
        act(() => openPageDialog('post9'));
        expect(await screen.findByRole('dialog', {name: 'Page PagerTree'})).toBeInTheDocument();
        expect(mockPrefill).toHaveBeenCalledWith('post9');
        await screen.findByLabelText('Title');
        await userEvent.keyboard('{Escape}');
        await waitFor(() => expect(screen.queryByRole('dialog')).toBeNull());
    });
});
