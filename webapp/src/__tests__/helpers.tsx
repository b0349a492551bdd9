import React, {useState} from 'react';

import type {CustomSettingProps, SettingsCheck} from '../types';

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

// checkAnswer is an answer of the settings check route (POST settings/check), as the server
// sends it; tests fill in what they are about.
export function checkAnswer(part: Partial<Omit<SettingsCheck, 'lists'>> & {lists?: Partial<SettingsCheck['lists']>} = {}): SettingsCheck {
    return {
        fields: part.fields || {},
        hints: part.hints || {},
        lists: {TriggerWords: [], ChannelAllowList: [], UrgencyAliases: [], ...part.lists},
        choices: part.choices || {UrgencyAliases: ['low', 'medium', 'high', 'critical']},
    };
}
