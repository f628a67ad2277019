/** Word lists and a seeded PRNG for the demo workspace (same data on every first start). */

/** mulberry32: small, fast, deterministic. */
export function prng(seed: number) {
  let a = seed >>> 0;
  const next = () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
  return {
    next,
    int: (min: number, max: number) => min + Math.floor(next() * (max - min + 1)),
    pick: <T>(xs: readonly T[]): T => xs[Math.floor(next() * xs.length)]!,
    chance: (p: number) => next() < p,
    /** A UUID (v4 layout) drawn from the generator, so ids repeat across seeds too. */
    uuid: () => {
      const hex = Array.from({ length: 32 }, () => Math.floor(next() * 16).toString(16));
      hex[12] = '4';
      hex[16] = '89ab'[Math.floor(next() * 4)]!;
      const s = hex.join('');
      return `${s.slice(0, 8)}-${s.slice(8, 12)}-${s.slice(12, 16)}-${s.slice(16, 20)}-${s.slice(20)}`;
    },
  };
}

export const FIRST_NAMES = [
  'Ada', 'Alan', 'Grace', 'Linus', 'Margaret', 'Dennis', 'Barbara', 'Ken', 'Frances', 'Edsger', 'Katherine', 'Donald',
  'Radia', 'Tim', 'Hedy', 'Claude', 'Annie', 'John', 'Sophie', 'Guido', 'Mary', 'Brian', 'Lucy', 'James', 'Olivia',
  'Noah', 'Emma', 'Liam', 'Mia', 'Lucas', 'Chloé', 'Mateo', 'Aisha', 'Yuki', 'Priya', 'Omar', 'Ingrid', 'Lars', 'Zoë',
  'Diego', 'Fatima', 'Hiroshi', 'Elena', 'Kwame', 'Nadia', 'Pablo', 'Sara', 'Tomás', 'Wei', 'Amara',
] as const;

export const LAST_NAMES = [
  'Lovelace', 'Turing', 'Hopper', 'Torvalds', 'Hamilton', 'Ritchie', 'Liskov', 'Thompson', 'Allen', 'Dijkstra', 'Johnson',
  'Knuth', 'Perlman', 'Berners-Lee', 'Lamarr', 'Shannon', 'Easley', 'McCarthy', 'Wilson', 'van Rossum', 'Keller', 'Kernighan',
  'Martin', 'Gosling', 'Nguyen', 'García', 'Müller', 'Rossi', 'Kowalski', 'Andersson', 'O\'Brien', 'Tanaka', 'Patel',
  'Okafor', 'Haddad', 'Novak', 'Silva', 'Dubois', 'Schmidt', 'Moreau', 'Chen', 'Kim', 'Ivanova', 'Mensah', 'Larsen',
] as const;

export const COMPANY_WORDS = [
  'Acme', 'Globex', 'Initech', 'Umbrella', 'Stark', 'Wayne', 'Wonka', 'Cyberdyne', 'Soylent', 'Tyrell', 'Hooli', 'Vandelay',
  'Pied Piper', 'Massive', 'Aperture', 'Black Mesa', 'Gringotts', 'Monarch', 'Oscorp', 'Prestige', 'Blue Sun', 'Nakatomi',
  'Dunder', 'Sterling', 'Bluth', 'Krusty', 'Duff', 'Gekko', 'Oceanic', 'Virtucon', 'Zorg', 'Ellingson', 'Nimbus', 'Harbor',
  'Northwind', 'Contoso', 'Fabrikam', 'Tailspin', 'Litware', 'Proseware',
] as const;

export const COMPANY_SUFFIXES = ['Labs', 'Industries', 'Group', 'Systems', 'Partners', 'Holdings', 'Studio', 'Logistics', 'Health', 'Capital'] as const;
export const INDUSTRIES = ['Software', 'Manufacturing', 'Healthcare', 'Finance', 'Retail', 'Logistics', 'Education', 'Media', 'Energy', 'Consulting'] as const;
export const SIZES = ['1-10', '11-50', '51-200', '201-500', '501-1000', '1001-5000', '5001+'] as const;
export const CITIES = [
  ['San Francisco', 'CA', 'US', '+1415'], ['New York', 'NY', 'US', '+1212'], ['Austin', 'TX', 'US', '+1512'],
  ['London', 'England', 'GB', '+44207'], ['Berlin', 'Berlin', 'DE', '+4930'], ['Paris', 'Île-de-France', 'FR', '+331'],
  ['Toronto', 'ON', 'CA', '+1416'], ['Sydney', 'NSW', 'AU', '+612'], ['Amsterdam', 'North Holland', 'NL', '+3120'],
] as const;
export const TITLES = ['CEO', 'CTO', 'VP Sales', 'Head of Operations', 'Marketing Manager', 'Account Executive', 'Engineer', 'Procurement Lead', 'CFO', 'Office Manager'] as const;
export const DEPARTMENTS = ['Executive', 'Engineering', 'Sales', 'Marketing', 'Finance', 'Operations', 'Procurement'] as const;
export const TAGS = ['customer', 'prospect', 'partner', 'vip', 'newsletter', 'churn risk', 'referral', 'event 2026'] as const;
export const LEAD_SOURCES = ['website', 'referral', 'conference', 'cold outreach', 'linkedin', 'webinar'] as const;
