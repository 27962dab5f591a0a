/**
 * A horizontal bar chart as inline SVG: no script, no external file, prints and scales with the page.
 * It is a picture of numbers that stand in a table next to it (screen readers get the table; the
 * SVG has role="img" with a <title> and a <desc> that says where the numbers are).
 */

/** One series of bars (a colour in the legend). */
export interface ChartSeries {
  label: string;
}

/** One row: its label and one value per series. */
export interface ChartRow {
  label: string;
  values: number[];
}

/** Properties of {@link BarChart}. */
export interface BarChartProps {
  /** Unique on the page: the ids of the title and description derive from it. */
  id: string;
  title: string;
  /** Says the same numbers are in the table (read by screen readers with the title). */
  description: string;
  series: ChartSeries[];
  rows: ChartRow[];
  /** How a value is written at the end of its bar. */
  format?: (value: number) => string;
}

/** Colours with at least 3:1 contrast to white; the legend names them, the table has the numbers. */
const colours = ["#0b5394", "#c55a11", "#2e7d32", "#6a1b9a"];

const width = 640;
const labelWidth = 190;
const barHeight = 16;
const gap = 10;
const valueRoom = 60;

/**
 * The chart. Bars are scaled to the largest value; a zero gets no bar but keeps its number.
 *
 * @example
 * <BarChart id="cities" title="People by city" description="The numbers are in the table below."
 *   series={[{ label: "People" }]} rows={[{ label: "Mainz", values: [12] }]} />
 */
export function BarChart(props: BarChartProps) {
  const format = props.format ?? ((v: number) => String(v));
  const max = Math.max(1, ...props.rows.flatMap((r) => r.values));
  const perRow = props.series.length * barHeight + gap;
  const legendHeight = props.series.length > 1 ? 24 : 0;
  const height = legendHeight + props.rows.length * perRow + gap;
  const scale = (width - labelWidth - valueRoom) / max;
  const titleId = `${props.id}-title`;
  const descId = `${props.id}-desc`;
  return (
    <svg
      xmlns="http://www.w3.org/2000/svg"
      role="img"
      aria-labelledby={`${titleId} ${descId}`}
      viewBox={`0 0 ${width} ${height}`}
      width="100%"
      style={`max-width:${width}px;height:auto;background:#fff;border:1px solid #ccc`}
      font-family="system-ui, sans-serif"
      font-size="13"
    >
      <title id={titleId}>{props.title}</title>
      <desc id={descId}>{props.description}</desc>
      {props.series.length > 1
        ? props.series.map((s, i) => (
            <g>
              <rect x={labelWidth + i * 150} y={6} width={12} height={12} fill={colours[i % colours.length]} />
              <text x={labelWidth + i * 150 + 18} y={16}>
                {s.label}
              </text>
            </g>
          ))
        : null}
      {props.rows.map((row, r) => {
        const top = legendHeight + gap + r * perRow;
        return (
          <g>
            <text x={labelWidth - 8} y={top + (props.series.length * barHeight) / 2 + 4} text-anchor="end">
              {truncate(row.label)}
            </text>
            {row.values.map((value, s) => {
              const y = top + s * barHeight;
              const length = Math.max(0, value * scale);
              return (
                <g>
                  <rect
                    x={labelWidth}
                    y={y + 1}
                    width={length}
                    height={barHeight - 2}
                    fill={colours[s % colours.length]}
                  />
                  <text x={labelWidth + length + 6} y={y + barHeight - 4}>
                    {format(value)}
                  </text>
                </g>
              );
            })}
          </g>
        );
      })}
    </svg>
  );
}

/** A label that fits the label column (the table has it in full). */
function truncate(label: string): string {
  return label.length > 26 ? `${label.slice(0, 25)}…` : label;
}
