// Base64url without padding (RFC 4648, section 5): the URL-safe alphabet with '-' and '_'.

const ALPHABET = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_';

const VALUE_OF_CHAR = new Map([...ALPHABET].map((char, value) => [char, value]));

export function encodeBase64url(bytes: Uint8Array): string {
  let text = '';
  for (let i = 0; i < bytes.length; i += 3) {
    // Up to three bytes form 24 bits, written as four 6-bit characters.
    const chunk = (bytes[i] << 16) | ((bytes[i + 1] ?? 0) << 8) | (bytes[i + 2] ?? 0);
    const chars = Math.min(4, Math.ceil(((bytes.length - i) * 8) / 6));
    for (let k = 0; k < chars; k++) {
      text += ALPHABET[(chunk >> (18 - 6 * k)) & 63];
    }
  }

  return text;
}

/**
 * Decodes unpadded base64url. Returns the bytes, or a string explaining why the text is not
 * base64url (a character outside the alphabet, or a length that no byte count produces).
 */
export function decodeBase64url(text: string): Uint8Array | string {
  if (text.length % 4 === 1) {
    return `its length ${text.length} is not a valid base64url length`;
  }

  const bytes = new Uint8Array(Math.floor((text.length * 6) / 8));
  let byteIndex = 0;
  for (let i = 0; i < text.length; i += 4) {
    let chunk = 0;
    const group = text.slice(i, i + 4);
    for (let k = 0; k < 4; k++) {
      const char = group[k];
      const value = char === undefined ? 0 : VALUE_OF_CHAR.get(char);
      if (value === undefined) {
        return `character ${i + k + 1} ('${char}') is not in the base64url alphabet A-Z a-z 0-9 - _`;
      }
      chunk = (chunk << 6) | value;
    }
    for (let k = 0; k < group.length - 1; k++) {
      bytes[byteIndex++] = (chunk >> (16 - 8 * k)) & 255;
    }
  }

  return bytes;
}
