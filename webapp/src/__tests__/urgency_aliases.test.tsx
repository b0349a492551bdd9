import {render, screen} from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import React from 'react';

import {consoleProps} from './helpers';

import UrgencyAliases from '../components/urgency_aliases';

describe('UrgencyAliases', () => {
    test('shows stored aliases as rows', () => {
        render(<UrgencyAliases {...consoleProps('UrgencyAliases', 'sev-1=critical, p2=medium')}/>);
        expect(screen.getAllByTestId('alias-row')).toHaveLength(2);
        expect(screen.getByLabelText('Alias 1')).toHaveValue('sev-1');
        expect(screen.getByLabelText('Urgency for alias 2')).toHaveValue('medium');
    });

    test('adding a row saves it only once it is valid', async () => {
        const props = consoleProps('UrgencyAliases', 'sev-1=critical');
        render(<UrgencyAliases {...props}/>);
        await userEvent.click(screen.getByText('+ Add alias'));
        await userEvent.type(screen.getByLabelText('Alias 2'), 'p1');
        expect(screen.getByRole('alert')).toHaveTextContent('Choose the urgency');
        expect(props.onChange).toHaveBeenLastCalledWith('UrgencyAliases', 'sev-1=critical');
        await userEvent.selectOptions(screen.getByLabelText('Urgency for alias 2'), 'high');
        expect(props.onChange).toHaveBeenLastCalledWith('UrgencyAliases', 'sev-1=critical, p1=high');
        expect(props.setSaveNeeded).toHaveBeenCalled();
        expect(screen.queryByRole('alert')).toBeNull();
    });

    test('duplicates and bad characters are flagged; remove drops a row', async () => {
        const props = consoleProps('UrgencyAliases', 'p1=high, P1=low, a=b=low');
        render(<UrgencyAliases {...props}/>);
        expect(screen.getAllByRole('alert').map((a) => a.textContent)).toEqual(['"p1" is listed twice.', '"P1" is listed twice.', 'An alias cannot contain , ; = or :.']);
        await userEvent.click(screen.getByLabelText('Remove alias 2'));
        expect(props.onChange).toHaveBeenLastCalledWith('UrgencyAliases', 'p1=high');
    });
});
