/**
 * The line every report carries when it was made with `--show-values`: its samples and paths then hold heap
 * contents (session ids, tokens, string values), so whoever reads it, or a CI log that keeps it, should know.
 */
export const VALUES_SHOWN_NOTE =
  'heap values shown (--show-values): this report holds keys and string contents from the heap; keep it private';
