import { useState } from 'react';
import { NavLink, Outlet, useLocation } from 'react-router';
import { useSession } from '../modules/auth/auth.api.js';
import { CommandPalette } from '../modules/search/command-palette.js';
import { ShortcutsHelp, useGlobalShortcuts } from './shortcuts.js';
import { LiveUpdates } from './live.js';
import { navItems } from './nav.js';
import { TenantMenu } from './tenant-menu.js';

export function Shell() {
  const [navOpen, setNavOpen] = useState(false);
  const [paletteOpen, setPaletteOpen] = useState(false);
  const [helpOpen, setHelpOpen] = useState(false);
  const location = useLocation();
  const [lastPath, setLastPath] = useState(location.pathname);
  if (lastPath !== location.pathname) {
    setLastPath(location.pathname);
    setNavOpen(false);
  }
  useGlobalShortcuts({ openPalette: () => setPaletteOpen(true), openHelp: () => setHelpOpen(true) });
  return (
    <div className="shell">
      <a className="skip-link" href="#main">Skip to content</a>
      <TopBar navOpen={navOpen} toggleNav={() => setNavOpen((o) => !o)} openPalette={() => setPaletteOpen(true)} />
      <nav id="primary-nav" className={navOpen ? 'sidebar open' : 'sidebar'} aria-label="Primary">
        <ul>
          {navItems.map((item) => (
            <li key={item.to}><NavLink to={item.to}>{item.label}</NavLink></li>
          ))}
        </ul>
        <button type="button" className="link shortcuts-link" onClick={() => setHelpOpen(true)}>Keyboard shortcuts <kbd>?</kbd></button>
      </nav>
      <main id="main" className="content" tabIndex={-1}>
        <Outlet />
      </main>
      <CommandPalette open={paletteOpen} onClose={() => setPaletteOpen(false)} />
      <ShortcutsHelp open={helpOpen} onClose={() => setHelpOpen(false)} />
      <LiveUpdates />
    </div>
  );
}

function TopBar({ navOpen, toggleNav, openPalette }: { navOpen: boolean; toggleNav: () => void; openPalette: () => void }) {
  const session = useSession();
  return (
    <header className="topbar">
      <button type="button" className="icon menu-toggle" aria-expanded={navOpen} aria-controls="primary-nav" aria-label="Menu" onClick={toggleNav}>☰</button>
      <NavLink to="/" className="brand">Pillar</NavLink>
      <button type="button" className="search-trigger" onClick={openPalette} aria-keyshortcuts="/ Control+K">
        <span>Search…</span> <kbd>/</kbd>
      </button>
      <TenantMenu session={session} />
    </header>
  );
}
