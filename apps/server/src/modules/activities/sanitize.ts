/**
 * Security-critical: activity bodies in HTML are reduced to an allow-list of
 * formatting tags before they are stored, so no script, style, event handler
 * or javascript: URL ever reaches a browser from an email or a note.
 */
import sanitizeHtml from 'sanitize-html';

const OPTIONS: sanitizeHtml.IOptions = {
  allowedTags: ['p', 'br', 'b', 'strong', 'i', 'em', 'u', 's', 'a', 'ul', 'ol', 'li', 'blockquote', 'code', 'pre', 'h1', 'h2', 'h3', 'h4', 'hr', 'span', 'div'],
  // rel and target are set by the transform below; a client's own values are overwritten.
  allowedAttributes: { a: ['href', 'title', 'rel', 'target'] },
  allowedSchemes: ['http', 'https', 'mailto', 'tel'],
  allowProtocolRelative: false,
  disallowedTagsMode: 'discard',
  transformTags: { a: sanitizeHtml.simpleTransform('a', { rel: 'noopener noreferrer nofollow', target: '_blank' }) },
};

export function sanitizeBody(body: string): string {
  return sanitizeHtml(body, OPTIONS);
}
