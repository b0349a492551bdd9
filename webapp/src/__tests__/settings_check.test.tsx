import {act, render, screen, waitFor} from '@testing-library/react';
import React from 'react';

import {checkAnswer} from './helpers';

import {ApiError} from '../client';
import {publish, resetScreenState} from '../screen_state';
import {resetSettingsCheck, useFieldCheck} from '../settings_check';

const mockCheck = jest.fn();
jest.mock('../client', () => ({
    ...jest.requireActual('../client'),
    checkSettings: (...a: unknown[]) => mockCheck(...a),
}));

beforeEach(() => {
    jest.clearAllMocks();
    resetScreenState();
    resetSettingsCheck();
    document.body.innerHTML = '';
});

function Probe({id, value}: {id: string; value?: string}) {
    const {field, hint, fresh, check} = useFieldCheck(id, value);
    return <div data-testid='probe'>{`field=${field}|hint=${hint}|fresh=${fresh}|error=${check.error}`}</div>;
}

describe('the settings check', () => {
    test('asks once for quick changes, with the settings on screen, and gives each field its part', async () => {
        mockCheck.mockResolvedValue(checkAnswer({fields: {EndpointURL: 'The endpoint URL must use https.'}, hints: {EndpointURL: 'x'}}));
        publish('EndpointURL', 'http://a');
        render(
            <Probe
                id='PluginSettings.Plugins.pagertree.endpointurl'
                value='http://api.pagertree.com/x'
            />,
        );
        act(() => {
            publish('EndpointURL', 'http://ap');
            publish('EndpointURL', 'http://api.pagertree.com/x');
        });
        await waitFor(() => expect(screen.getByTestId('probe')).toHaveTextContent('field=The endpoint URL must use https.|hint=x|fresh=true|error='));
        expect(mockCheck).toHaveBeenCalledTimes(1);
        expect(mockCheck).toHaveBeenCalledWith({endpointurl: 'http://api.pagertree.com/x'}, expect.any(AbortSignal));
    });

    test('an answer about another value is not fresh', async () => {
        mockCheck.mockResolvedValue(checkAnswer());
        publish('TriggerWords', 'outage');
        render(
            <Probe
                id='TriggerWords'
                value='outage, sev-1'
            />,
        );
        await waitFor(() => expect(mockCheck).toHaveBeenCalledTimes(1));
        await waitFor(() => expect(screen.getByTestId('probe')).toHaveTextContent('fresh=false'));
        act(() => publish('TriggerWords', 'outage, sev-1'));
        await waitFor(() => expect(screen.getByTestId('probe')).toHaveTextContent('fresh=true'));
    });

    test('a newer request aborts the older, whose answer is dropped', async () => {
        const signals: AbortSignal[] = [];
        const answers: Array<(v: unknown) => void> = [];
        mockCheck.mockImplementation((_s: unknown, signal: AbortSignal) => {
            signals.push(signal);
            return new Promise((r) => {
                answers.push(r);
            });
        });
        publish('EndpointURL', 'a');
        render(
            <Probe
                id='EndpointURL'
                value='b'
            />,
        );
        await waitFor(() => expect(mockCheck).toHaveBeenCalledTimes(1));
        act(() => publish('EndpointURL', 'b'));
        await waitFor(() => expect(mockCheck).toHaveBeenCalledTimes(2));
        expect(signals[0].aborted).toBe(true);
        await act(async () => answers[1](checkAnswer({fields: {EndpointURL: 'about b'}})));
        await act(async () => answers[0](checkAnswer({fields: {EndpointURL: 'about a'}})));
        expect(screen.getByTestId('probe')).toHaveTextContent('field=about b|hint=|fresh=true');
    });

    test('a change in one of the console\'s own inputs asks again', async () => {
        mockCheck.mockResolvedValue(checkAnswer());
        document.body.innerHTML = '<input id="PluginSettings.Plugins.pagertree.apibaseurl" value="https://api.pagertree.com">';
        render(<Probe id='APIBaseURL'/>);
        await waitFor(() => expect(mockCheck).toHaveBeenCalledTimes(1));
        const input = document.getElementById('PluginSettings.Plugins.pagertree.apibaseurl') as HTMLInputElement;
        input.value = 'https://pt.example.com';
        act(() => {
            input.dispatchEvent(new Event('input', {bubbles: true}));
        });
        await waitFor(() => expect(mockCheck).toHaveBeenCalledTimes(2));
        expect(mockCheck.mock.calls[1][0]).toMatchObject({apibaseurl: 'https://pt.example.com'});

        // An input that is not one of the plugin's plain settings does not.
        document.body.insertAdjacentHTML('beforeend', '<input id="other">');
        act(() => {
            document.getElementById('other')?.dispatchEvent(new Event('input', {bubbles: true}));
        });
        await new Promise((r) => setTimeout(r, 300)); // longer than the check's delay: nothing may come
        expect(mockCheck).toHaveBeenCalledTimes(2);
    });

    test('a failed check says so in a sentence', async () => {
        mockCheck.mockRejectedValue(new ApiError('Only System Admins can use the PagerTree plugin API.', 403));
        render(<Probe id='EndpointURL'/>);
        await waitFor(() => expect(screen.getByTestId('probe')).toHaveTextContent('error=The plugin could not check the settings: Only System Admins can use the PagerTree plugin API.'));
    });

    test('nothing is asked once no setting listens', async () => {
        mockCheck.mockResolvedValue(checkAnswer());
        const {unmount} = render(<Probe id='EndpointURL'/>);
        unmount();
        act(() => publish('EndpointURL', 'https://x'));
        await new Promise((r) => setTimeout(r, 300));
        expect(mockCheck).not.toHaveBeenCalled();
    });
});
