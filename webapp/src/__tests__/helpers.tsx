import React, {useState} from 'react';

import type {CustomSettingProps} from '../types';

export function consoleProps(id: string, value: unknown, extra: Partial<CustomSettingProps> = {}) {
    const props = {
        id,
        label: id,
        helpText: null,
        value,
        disabled: false,
        setByEnv: false,
        onChange: jest.fn(),
        setSaveNeeded: jest.fn(),
        registerSaveAction: jest.fn(),
        unRegisterSaveAction: jest.fn(),
        ...extra,
    };
    return props as typeof props & CustomSettingProps;
}

// Stateful renders a setting the way the System Console does: onChange feeds value back.
export function Stateful({component: Component, props}: {component: React.ComponentType<CustomSettingProps>; props: ReturnType<typeof consoleProps>}) {
    const [value, setValue] = useState(props.value);
    return (
        <Component
            {...props}
            value={value}
            onChange={(id, v) => {
                props.onChange(id, v);
                setValue(v);
            }}
        />
    );
}
