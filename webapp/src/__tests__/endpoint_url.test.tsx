import {render, screen} from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import React from 'react';

import {consoleProps, Stateful} from './helpers';

import EndpointURL from '../components/endpoint_url';
import Token from '../components/token';
import {resetScreenState, screenSettings} from '../screen_state';

beforeEach(resetScreenState);

describe('EndpointURL', () => {
    test('says where PagerTree shows the URL', () => {
        render(<EndpointURL {...consoleProps('EndpointURL', '')}/>);
        expect(screen.getByText('Endpoint URL')).toBeInTheDocument();
        expect(screen.getByText(/No endpoint yet/)).toBeInTheDocument();
    });

    test.each([
        ['not a url', 'alert', /not an absolute URL/],
        ['http://pagertree.example.com/int', 'status', /sends the token in clear/],
        ['http://127.0.0.1:9999/int', 'status', /Allow untrusted internal connections/],
        ['https://hooks.example.com/int', 'status', /not a PagerTree host/],
    ])('validates %s as you type', (url, role, text) => {
        render(<EndpointURL {...consoleProps('EndpointURL', url)}/>);
        expect(screen.getByRole(role)).toHaveTextContent(text);
    });

    test('a PagerTree https URL is clean; typing calls onChange', async () => {
        const props = consoleProps('EndpointURL', 'https://api.pagertree.com/integration/int_1');
        render(<EndpointURL {...props}/>);
        expect(screen.queryByRole('alert')).toBeNull();
        expect(screen.queryByRole('status')).toBeNull();
        await userEvent.type(screen.getByRole('textbox'), '2');
        expect(props.onChange).toHaveBeenLastCalledWith('EndpointURL', 'https://api.pagertree.com/integration/int_12');
        expect(props.setSaveNeeded).toHaveBeenCalled();
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
});
