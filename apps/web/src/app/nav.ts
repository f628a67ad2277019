export interface NavItem {
  to: string;
  label: string;
  /** Second key of the "g then x" shortcut. */
  key: string;
}

export const navItems: NavItem[] = [
  { to: '/deals', label: 'Deals', key: 'd' },
  { to: '/leads', label: 'Leads', key: 'l' },
  { to: '/contacts', label: 'Contacts', key: 'c' },
  { to: '/companies', label: 'Companies', key: 'o' },
  { to: '/activities', label: 'Activities', key: 'a' },
  { to: '/dashboard', label: 'Dashboard', key: 'h' },
  { to: '/trash', label: 'Trash', key: 't' },
  { to: '/settings', label: 'Settings', key: 's' },
];
