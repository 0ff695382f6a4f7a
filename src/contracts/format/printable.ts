/**
 * Text from outside (names in service files, saved results, HAR titles) reaches terminals, JUnit
 * and HTML. A control character in it could move the cursor, recolour the screen or break XML,
 * so names refuse them on input and every renderer shows them inert.
 */

// eslint-disable-next-line no-control-regex -- control characters are what it finds
const CONTROL_CHARACTERS = /[\u0000-\u001f\u007f-\u009f]/g

export function hasControlCharacter(text: string): boolean {
  CONTROL_CHARACTERS.lastIndex = 0
  return CONTROL_CHARACTERS.test(text)
}

/** Control characters removed (HAR titles become scenario names). */
export function withoutControlCharacters(text: string): string {
  return text.replace(CONTROL_CHARACTERS, '')
}

/** Control characters shown as `\x1b`-style escapes, so a terminal prints them instead of obeying them. */
export function printable(text: string): string {
  return text.replace(CONTROL_CHARACTERS, (c) => `\\x${c.charCodeAt(0).toString(16).padStart(2, '0')}`)
}
