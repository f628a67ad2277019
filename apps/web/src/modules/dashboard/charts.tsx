/** Chart cards on recharts. Every chart has its numbers in a table too (screen readers, keyboard and print). */
import type { ReactNode } from 'react';
import { Bar, BarChart, CartesianGrid, Cell, Legend, Pie, PieChart, ResponsiveContainer, Tooltip, XAxis, YAxis } from 'recharts';

export const palette = ['#0b5cad', '#146c2e', '#b42318', '#8a4b00', '#6639ba', '#0e7490', '#57606a'];

export interface Series {
  key: string;
  label: string;
  color: string;
}

export function ChartCard({ title, children, table }: { title: string; children: ReactNode; table: ReactNode }) {
  return (
    <section className="card chart-card" aria-label={title}>
      <h2>{title}</h2>
      <div className="chart-box" aria-hidden="true">{children}</div>
      <details className="chart-data">
        <summary>Show the numbers</summary>
        <div className="table-wrap">{table}</div>
      </details>
    </section>
  );
}

export function Bars<T extends object>({ data, x, series, onPick, format }: {
  data: T[]; x: string; series: Series[]; onPick?: (row: T) => void; format?: (v: number) => string;
}) {
  return (
    <ResponsiveContainer width="100%" height={240}>
      <BarChart data={data} margin={{ top: 8, right: 8, left: 8, bottom: 8 }}>
        <CartesianGrid strokeDasharray="3 3" vertical={false} />
        <XAxis dataKey={x} tick={{ fontSize: 12 }} interval={0} />
        <YAxis tick={{ fontSize: 12 }} tickFormatter={format} width={70} />
        <Tooltip formatter={(v) => (format ? format(Number(v)) : String(v))} />
        {series.length > 1 && <Legend />}
        {series.map((s) => (
          <Bar key={s.key} dataKey={s.key} name={s.label} fill={s.color} cursor={onPick ? 'pointer' : undefined}
            onClick={(entry: { payload?: T }) => entry.payload && onPick?.(entry.payload)} />
        ))}
      </BarChart>
    </ResponsiveContainer>
  );
}

export function Donut({ data, onPick }: { data: { name: string; value: number; key: string }[]; onPick?: (key: string) => void }) {
  return (
    <ResponsiveContainer width="100%" height={240}>
      <PieChart>
        <Pie data={data} dataKey="value" nameKey="name" innerRadius={55} outerRadius={90} paddingAngle={2}
          onClick={(entry: { payload?: { key: string } }) => entry.payload && onPick?.(entry.payload.key)} cursor={onPick ? 'pointer' : undefined}>
          {data.map((d, i) => <Cell key={d.key} fill={palette[(i + 1) % palette.length]} />)}
        </Pie>
        <Tooltip />
        <Legend />
      </PieChart>
    </ResponsiveContainer>
  );
}
