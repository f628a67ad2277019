import { Link, useNavigate } from 'react-router';
import { formatMoney } from '../../ui/format.js';
import { ErrorState, Loading } from '../../ui/states.js';
import { Bars, ChartCard, Donut, palette } from './charts.js';
import { dealsListLink, useReport } from './dashboard.api.js';

const money = (v: number) => formatMoney(v);

export function DashboardPage() {
  return (
    <section className="page" aria-labelledby="dash-title">
      <h1 id="dash-title">Dashboard</h1>
      <div className="dashboard-grid">
        <PipelineCard />
        <ForecastCard />
        <WinLossCard />
        <ActivitiesCard />
      </div>
    </section>
  );
}

function PipelineCard() {
  const report = useReport('pipeline');
  const navigate = useNavigate();
  if (report.isPending) return <Loading label="Loading pipeline…" />;
  if (report.error) return <ErrorState error={report.error} retry={() => void report.refetch()} />;
  const rows = report.data.rows.map((r) => ({ ...r, total: Number(r.total_value), weighted: Number(r.weighted_value) }));
  return (
    <ChartCard title="Pipeline by stage" table={
      <table className="simple-table"><thead><tr><th scope="col">Stage</th><th scope="col">Deals</th><th scope="col">Value</th><th scope="col">Weighted</th></tr></thead>
        <tbody>{rows.map((r) => <tr key={r.stage_id}><td><Link to={dealsListLink('stage_id', r.stage_id)}>{r.stage_name}</Link></td><td>{r.deal_count}</td><td>{money(r.total)}</td><td>{money(r.weighted)}</td></tr>)}</tbody>
      </table>}>
      <Bars data={rows} x="stage_name" format={money} onPick={(r) => void navigate(dealsListLink('stage_id', r.stage_id))}
        series={[{ key: 'total', label: 'Value', color: palette[0]! }, { key: 'weighted', label: 'Weighted', color: palette[5]! }]} />
    </ChartCard>
  );
}

function ForecastCard() {
  const report = useReport('forecast');
  if (report.isPending) return <Loading label="Loading forecast…" />;
  if (report.error) return <ErrorState error={report.error} retry={() => void report.refetch()} />;
  const rows = report.data.rows.map((r) => ({ label: r.label, expected: Number(r.expected_revenue), won: Number(r.won_revenue) }));
  return (
    <ChartCard title="Forecast" table={
      <table className="simple-table"><thead><tr><th scope="col">Period</th><th scope="col">Expected</th><th scope="col">Won</th></tr></thead>
        <tbody>{rows.map((r) => <tr key={r.label}><td>{r.label}</td><td>{money(r.expected)}</td><td>{money(r.won)}</td></tr>)}</tbody>
      </table>}>
      <Bars data={rows} x="label" format={money} series={[{ key: 'expected', label: 'Expected revenue', color: palette[0]! }, { key: 'won', label: 'Won', color: palette[1]! }]} />
    </ChartCard>
  );
}

function WinLossCard() {
  const report = useReport('win-loss');
  const navigate = useNavigate();
  if (report.isPending) return <Loading label="Loading won and lost…" />;
  if (report.error) return <ErrorState error={report.error} retry={() => void report.refetch()} />;
  const t = report.data.totals;
  const data = [{ key: 'won', name: `Won (${t.won_count})`, value: t.won_count }, { key: 'lost', name: `Lost (${t.lost_count})`, value: t.lost_count }];
  return (
    <ChartCard title="Won and lost" table={
      <table className="simple-table"><thead><tr><th scope="col">Outcome</th><th scope="col">Deals</th><th scope="col">Value</th></tr></thead>
        <tbody>
          <tr><td><Link to={dealsListLink('status', 'won')}>Won</Link></td><td>{t.won_count}</td><td>{formatMoney(t.won_value)}</td></tr>
          <tr><td><Link to={dealsListLink('status', 'lost')}>Lost</Link></td><td>{t.lost_count}</td><td>{formatMoney(t.lost_value)}</td></tr>
          {report.data.lost_reasons.map((r) => <tr key={r.reason ?? '-'}><td>Lost: {r.reason ?? 'no reason'}</td><td>{r.count}</td><td>{formatMoney(r.value)}</td></tr>)}
        </tbody>
      </table>}>
      {t.won_count + t.lost_count === 0 ? <p className="muted">No deals closed yet.</p> : <Donut data={data} onPick={(k) => void navigate(dealsListLink('status', k))} />}
      {t.win_rate && <p className="muted">Win rate {(Number(t.win_rate) * 100).toFixed(0)}%</p>}
    </ChartCard>
  );
}

function ActivitiesCard() {
  const report = useReport('activities');
  if (report.isPending) return <Loading label="Loading activities…" />;
  if (report.error) return <ErrorState error={report.error} retry={() => void report.refetch()} />;
  const rows = report.data.by_type;
  return (
    <ChartCard title="Activities by type" table={
      <table className="simple-table"><thead><tr><th scope="col">Type</th><th scope="col">Done</th><th scope="col">Open</th><th scope="col">Overdue</th></tr></thead>
        <tbody>{rows.map((r) => <tr key={r.type}><td>{r.type}</td><td>{r.completed}</td><td>{r.open}</td><td>{r.overdue}</td></tr>)}</tbody>
      </table>}>
      <Bars data={rows} x="type" series={[{ key: 'completed', label: 'Done', color: palette[1]! }, { key: 'open', label: 'Open', color: palette[0]! }, { key: 'overdue', label: 'Overdue', color: palette[2]! }]} />
    </ChartCard>
  );
}
