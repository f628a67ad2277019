/** Renders user HTML only after DOMPurify has removed scripts, handlers and unknown tags; plain text stays text. */
import DOMPurify from 'dompurify';
import { useMemo } from 'react';

const ALLOWED_TAGS = ['p', 'br', 'strong', 'b', 'em', 'i', 'u', 's', 'ul', 'ol', 'li', 'a', 'blockquote', 'code', 'pre', 'h3', 'h4'];

export function sanitize(html: string): string {
  return DOMPurify.sanitize(html, { ALLOWED_TAGS, ALLOWED_ATTR: ['href', 'title'], ALLOW_DATA_ATTR: false, FORBID_ATTR: ['style'] });
}

export function RichText({ value, format }: { value: string | null | undefined; format: 'text' | 'html' }) {
  const clean = useMemo(() => (format === 'html' && value ? sanitize(value) : ''), [value, format]);
  if (!value) return null;
  if (format === 'text') return <p className="rich-text pre-wrap">{value}</p>;
  return <div className="rich-text" dangerouslySetInnerHTML={{ __html: clean }} />;
}
