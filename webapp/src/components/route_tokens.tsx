import {useEffect} from 'react';

import {publish} from '../screen_state';
import type {CustomSettingProps} from '../types';

// RouteTokens is the secret setting that holds the routes' tokens. It has no field of its own:
// the routes editor edits each route's token and writes this setting; this only makes its saved
// value (masked by the server) known on screen.
export default function RouteTokens(props: CustomSettingProps) {
    const {id, value} = props;
    useEffect(() => {
        publish(id, value);
    }, [id, value]);
    return null;
}
