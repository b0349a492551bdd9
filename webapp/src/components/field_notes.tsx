import React from 'react';

type Props = {
    error?: string; // the server's refusal of the value on screen
    checkError?: string; // the settings check itself could not be asked
    warning?: string; // accepted, with something to watch out for
};

// FieldNotes shows, under a field, what the server's settings check said about its value.
export default function FieldNotes({error, checkError, warning}: Props) {
    return (
        <>
            {error && (
                <div
                    className='pagertree-error'
                    role='alert'
                >
                    {error}
                </div>
            )}
            {checkError && (
                <div
                    className='pagertree-error'
                    data-testid='settings-check-error'
                >
                    {checkError}
                </div>
            )}
            {warning && (
                <div
                    className='pagertree-warning'
                    role='status'
                >
                    {warning}
                </div>
            )}
        </>
    );
}
