// XML 1.0 cannot hold these even as character references (tab, newline and CR it can); C1
// controls it can but discourages, and a terminal showing the file would obey them.
// eslint-disable-next-line no-control-regex -- control characters are what it replaces
const NOT_XML = /[\u0000-\u0008\u000b\u000c\u000e-\u001f\u007f-\u009f\ufffe\uffff]/g

// Tab, newline and CR as references too: an attribute value would otherwise lose them to spaces.
const ESCAPES: Record<string, string> = {
  '<': '&lt;',
  '>': '&gt;',
  '&': '&amp;',
  '"': '&quot;',
  "'": '&apos;',
  '\t': '&#9;',
  '\n': '&#10;',
  '\r': '&#13;',
}

/** Escapes text for XML attribute values and character data; characters XML cannot hold become U+FFFD. */
export function escapeXml(text: string): string {
  return text.replace(NOT_XML, '\ufffd').replace(/[<>&"'\t\n\r]/g, (c) => ESCAPES[c] as string)
}
