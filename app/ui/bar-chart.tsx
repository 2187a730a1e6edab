import { scaleBand, scaleLinear } from "d3-scale";

export interface BarSeries {
  name: string;
  /** Solid or hatched: told apart by pattern and by the legend's words, not by colour alone. */
  fill: "solid" | "hatched";
}

/**
 * A grouped bar chart drawn as plain SVG from d3 scales (no inline styles, so it renders
 * under the CSP), with a text summary for screen readers and values on the bars.
 */
/**
 * Drawn twice, at a phone's width and at a wide screen's, and CSS shows the one that fits:
 * an SVG scales its text with it, so a 720-unit drawing on a 350 px phone had 4 px labels.
 * The narrow one labels fewer days and leaves values off thin bars.
 */
const LAYOUTS = [
  { width: 360, labels: 6, className: "w-full sm:hidden" },
  { width: 720, labels: 14, className: "hidden w-full sm:block" },
] as const;

export function BarChart({
  title,
  data,
  series,
  height = 220,
}: {
  title: string;
  data: { label: string; values: number[] }[];
  series: BarSeries[];
  height?: number;
}) {
  const patternId = `hatch-${title.replace(/\W+/g, "-").toLowerCase()}`;
  const summary = data.map((d) => `${d.label}: ${d.values.map((v, i) => `${v} ${series[i]!.name.toLowerCase()}`).join(", ")}`).join("; ");
  return (
    <figure className="space-y-2">
      <figcaption className="flex flex-wrap items-center justify-end gap-2 text-sm">
        <span className="sr-only">{title}</span>
        <span className="flex gap-3 text-xs text-slate-600">
          {series.map((s) => (
            <span key={s.name} className="flex items-center gap-1">
              <svg width="14" height="14" aria-hidden="true">
                {s.fill === "hatched" ? <HatchPattern id={`${patternId}-legend`} /> : null}
                <rect width="14" height="14" className={s.fill === "solid" ? "fill-brand-600" : "stroke-brand-700"} fill={s.fill === "hatched" ? `url(#${patternId}-legend)` : undefined} />
              </svg>
              {s.name}
            </span>
          ))}
        </span>
      </figcaption>
      {LAYOUTS.map((layout) => (
        <Drawing key={layout.width} {...layout} height={height} data={data} series={series} patternId={`${patternId}-${layout.width}`} label={`${title}. ${summary}`} />
      ))}
    </figure>
  );
}

function Drawing({
  width,
  labels,
  className,
  height,
  data,
  series,
  patternId,
  label,
}: {
  width: number;
  labels: number;
  className: string;
  height: number;
  data: { label: string; values: number[] }[];
  series: BarSeries[];
  patternId: string;
  label: string;
}) {
  const margin = { top: 16, right: 8, bottom: 36, left: 36 };
  const max = Math.max(1, ...data.flatMap((d) => d.values));
  const x = scaleBand<string>()
    .domain(data.map((d) => d.label))
    .range([margin.left, width - margin.right])
    .paddingInner(0.2)
    .paddingOuter(0.1);
  const inner = scaleBand<number>()
    .domain(series.map((_, i) => i))
    .range([0, x.bandwidth()])
    .padding(0.05);
  const y = scaleLinear().domain([0, max]).nice().range([height - margin.bottom, margin.top]);
  const labelEvery = Math.ceil(data.length / labels);
  return (
    <svg viewBox={`0 0 ${width} ${height}`} className={className} role="img" aria-label={label}>
      <HatchPattern id={patternId} />
      {y.ticks(4).map((tick) => (
        <g key={tick}>
          <line x1={margin.left} x2={width - margin.right} y1={y(tick)} y2={y(tick)} className="stroke-slate-200" />
          <text x={margin.left - 6} y={y(tick)} textAnchor="end" dominantBaseline="middle" className="fill-slate-500 text-[11px]">
            {tick}
          </text>
        </g>
      ))}
      {data.map((d, index) => (
        <g key={d.label} transform={`translate(${x(d.label)},0)`}>
          {d.values.map((value, i) => {
            const top = y(value);
            const bar = inner(i)!;
            return (
              <g key={i}>
                <rect
                  x={bar}
                  y={top}
                  width={inner.bandwidth()}
                  height={Math.max(0, y(0) - top)}
                  className={series[i]!.fill === "solid" ? "fill-brand-600" : "stroke-brand-700"}
                  fill={series[i]!.fill === "hatched" ? `url(#${patternId})` : undefined}
                />
                {value > 0 && inner.bandwidth() >= 10 ? (
                  <text x={bar + inner.bandwidth() / 2} y={top - 3} textAnchor="middle" className="fill-slate-700 text-[10px]">
                    {value}
                  </text>
                ) : null}
              </g>
            );
          })}
          {index % labelEvery === 0 ? (
            <text x={x.bandwidth() / 2} y={height - margin.bottom + 14} textAnchor="middle" className="fill-slate-600 text-[11px]">
              {d.label}
            </text>
          ) : null}
        </g>
      ))}
      <line x1={margin.left} x2={width - margin.right} y1={y(0)} y2={y(0)} className="stroke-slate-400" />
    </svg>
  );
}

/** The hatching of the second series. Each SVG defines its own: a pattern in a drawing hidden with display: none paints nothing elsewhere. */
function HatchPattern({ id }: { id: string }) {
  return (
    <defs>
      <pattern id={id} width="6" height="6" patternUnits="userSpaceOnUse" patternTransform="rotate(45)">
        <rect width="6" height="6" className="fill-white" />
        <line x1="0" y1="0" x2="0" y2="6" className="stroke-brand-700" strokeWidth="3" />
      </pattern>
    </defs>
  );
}
