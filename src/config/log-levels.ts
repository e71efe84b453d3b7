/** `console.*` levels as the Node.js runtime names them. */
export type FunctionLogLevel = 'TRACE' | 'DEBUG' | 'INFO' | 'WARN' | 'ERROR' | 'FATAL';

/** The levels Lambda filters its own (platform) lines by. */
export type SystemLogLevel = 'DEBUG' | 'INFO' | 'WARN';
