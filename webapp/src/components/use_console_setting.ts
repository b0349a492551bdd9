import {useCallback, useEffect} from 'react';

import {publish} from '../screen_state';
import type {CustomSettingProps} from '../types';

// useConsoleSetting publishes the on-screen value for the test button and the preview, and
// returns a setter that follows the System Console contract (onChange + setSaveNeeded).
export function useConsoleSetting(props: CustomSettingProps, value: string): (next: string) => void {
    const {id, onChange, setSaveNeeded} = props;
    useEffect(() => {
        publish(id, value);
    }, [id, value]);
    return useCallback((next: string) => {
        publish(id, next);
        onChange(id, next);
        setSaveNeeded?.();
    }, [id, onChange, setSaveNeeded]);
}

export function stringValue(value: unknown): string {
    return typeof value === 'string' ? value : '';
}
