import { Route, Routes } from 'react-router';
import { ImportsPage } from '../imports/import-progress.js';
import { ImportPage, NewImportPage } from '../imports/import-wizard.js';

export function ImportsRoutes() {
  return (
    <Routes>
      <Route index element={<ImportsPage />} />
      <Route path="new" element={<NewImportPage />} />
      <Route path=":id" element={<ImportPage />} />
    </Routes>
  );
}
