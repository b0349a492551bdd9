import {render, screen, waitFor} from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import React from 'react';

import {checkAnswer, consoleProps, Stateful} from './helpers';

import {ApiError} from '../client';
import EndpointURL from '../components/endpoint_url';
import Token from '../components/token';
import {resetScreenState, screenSettings} from '../screen_state';
import {resetSettingsCheck} from '../settings_check';

const mockCheck = jest.fn();
jest.mock('../client', () => ({
    ...jest.requireActual('../client'),
    checkSettings: (...a: unknown[]) => mockCheck(...a),
}));

beforeEach(() => {
    jest.clearAllMocks();
    resetScreenState();
    resetSettingsCheck();
    mockCheck.mockResolvedValue(checkAnswer());
});

const ID = 'PluginSettings.Plugins.pagertree.endpointurl';

describe('EndpointURL', () => {
    test('says where PagerTree shows the URL', () => {
        render(<EndpointURL {...consoleProps(ID, '')}/>);
        expect(screen.getByText('Endpoint URL')).toBeInTheDocument();
    });

    test.each([
        ['a refusal', {fields: {EndpointURL: 'The endpoint URL must use https (plain http is only allowed for a host listed in …).'}}, 'alert', 'The endpoint URL must use https'],
        ['a warning', {hints: {EndpointURL: 'hooks.example.com is not a PagerTree host: PagerTree endpoints start with https://api.pagertree.com/integration/.'}}, 'status', 'hooks.example.com is not a PagerTree host'],
    ])('shows the server\'s sentence: %s', async (_name, answer, role, text) => {
        mockCheck.mockResolvedValue(checkAnswer(answer));
        render(<EndpointURL {...consoleProps(ID, 'http://hooks.example.com/x')}/>);
        expect(await screen.findByRole(role)).toHaveTextContent(text);
        expect(mockCheck).toHaveBeenCalledWith({endpointurl: 'http://hooks.example.com/x'}, expect.any(AbortSignal));
        if (role === 'alert') {
            expect(screen.getByRole('textbox')).toHaveAttribute('aria-invalid', 'true');
        }
    });

    test('a clean answer shows nothing; typing asks again with the new value', async () => {
        const props = consoleProps(ID, 'https://api.pagertree.com/integration/int_1');
        render(
            <Stateful
                component={EndpointURL}
                props={props}
            />,
        );
        await waitFor(() => expect(mockCheck).toHaveBeenCalledTimes(1));
        expect(screen.queryByRole('alert')).toBeNull();
        expect(screen.queryByRole('status')).toBeNull();
        await userEvent.type(screen.getByRole('textbox'), '2');
        expect(props.onChange).toHaveBeenLastCalledWith(ID, 'https://api.pagertree.com/integration/int_12');
        expect(props.setSaveNeeded).toHaveBeenCalled();
        await waitFor(() => expect(mockCheck).toHaveBeenLastCalledWith({endpointurl: 'https://api.pagertree.com/integration/int_12'}, expect.any(AbortSignal)));
    });

    test('says when the check itself failed', async () => {
        mockCheck.mockRejectedValue(new ApiError('Could not reach the Mattermost server: Network Error', 0));
        render(<EndpointURL {...consoleProps(ID, 'https://x')}/>);
        expect(await screen.findByTestId('settings-check-error')).toHaveTextContent('The plugin could not check the settings: Could not reach the Mattermost server: Network Error');
    });
});

describe('Token', () => {
    test('is a password field; the saved placeholder is published as is', async () => {
        const props = consoleProps('Token', '********************************');
        render(
            <Stateful
                component={Token}
                props={props}
            />,
        );
        const input = screen.getByDisplayValue('********************************');
        expect(input).toHaveAttribute('type', 'password');
        expect(screenSettings()).toEqual({token: '********************************'});
        await userEvent.click(screen.getByText('Show'));
        expect(input).toHaveAttribute('type', 'text');
        await userEvent.clear(input);
        await userEvent.type(input, 'new');
        expect(props.onChange).toHaveBeenLastCalledWith('Token', 'new');
    });

    test('says, before any test, that the saved token will not follow a changed endpoint', async () => {
        mockCheck.mockResolvedValue(checkAnswer({hints: {Token: 'Enter the token again: the saved token is only sent to the saved endpoint.'}}));
        render(<Token {...consoleProps('PluginSettings.Plugins.pagertree.token', '********************************')}/>);
        expect(await screen.findByRole('status')).toHaveTextContent('Enter the token again: the saved token is only sent to the saved endpoint.');
    });
});
