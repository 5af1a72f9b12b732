/** The plain message (not a comlink call) by which the page hands a worker its port to the key holder. */
export const KEY_PORT_MESSAGE = 'facsimile:key-port';
