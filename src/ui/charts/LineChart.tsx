// A small d3 line chart shared by the three run charts: several named series over the update
// index, a vertical rule at the timeline cursor, optional point marks, and click to seek.

import * as d3 from 'd3';
import { useEffect, useRef } from 'react';

export interface ChartSeries {
  name: string;
  /** CSS class that sets the stroke colour and dash, see app.css. */
  className: string;
  points: { x: number; y: number }[];
}

export interface ChartMark {
  x: number;
  y: number;
  label: string;
}

export interface LineChartProps {
  series: ChartSeries[];
  marks?: ChartMark[];
  /** x of the timeline cursor, or null to hide the rule. */
  cursorX: number | null;
  /** Largest x the axis shows, so the axis does not jump while a run records. */
  maxX: number;
  yScale?: 'linear' | 'log';
  yDomain?: [number, number];
  yLabel: string;
  xLabel: string;
  /** Accessible summary of what the chart shows. */
  description: string;
  onSeek?: (x: number) => void;
}

const WIDTH = 360;
const HEIGHT = 160;
const MARGIN = { top: 18, right: 10, bottom: 28, left: 44 };

export function LineChart({
  series,
  marks = [],
  cursorX,
  maxX,
  yScale = 'linear',
  yDomain,
  yLabel,
  xLabel,
  description,
  onSeek,
}: LineChartProps) {
  const svgRef = useRef<SVGSVGElement>(null);

  useEffect(() => {
    const svg = svgRef.current;
    if (!svg) return;
    const root = d3.select(svg);
    const x = d3.scaleLinear([0, Math.max(1, maxX)], [MARGIN.left, WIDTH - MARGIN.right]);

    const values = series
      .flatMap((line) => line.points.map((point) => point.y))
      .concat(marks.map((mark) => mark.y));
    const finite = values.filter(
      (value) => Number.isFinite(value) && (yScale === 'linear' || value > 0),
    );
    let domain = yDomain ?? (d3.extent(finite) as [number, number]);
    if (domain[0] === undefined) domain = yScale === 'log' ? [1e-3, 1] : [0, 1];
    if (domain[0] === domain[1]) domain = [domain[0] - 1, domain[1] + 1];
    const y =
      yScale === 'log'
        ? d3
            .scaleLog(domain, [HEIGHT - MARGIN.bottom, MARGIN.top])
            .nice()
            .clamp(true)
        : d3.scaleLinear(domain, [HEIGHT - MARGIN.bottom, MARGIN.top]).nice();

    root
      .selectAll<SVGGElement, null>('g.x-axis')
      .data([null])
      .join('g')
      .attr('class', 'x-axis')
      .attr('transform', `translate(0,${HEIGHT - MARGIN.bottom})`)
      // x is an update index or a segment number, so ticks are whole numbers.
      .call(
        d3
          .axisBottom(x)
          .ticks(Math.min(6, Math.max(1, maxX)), 'd')
          .tickSizeOuter(0),
      );
    root
      .selectAll<SVGGElement, null>('g.y-axis')
      .data([null])
      .join('g')
      .attr('class', 'y-axis')
      .attr('transform', `translate(${MARGIN.left},0)`)
      .call(d3.axisLeft(y).ticks(4, yScale === 'log' ? '~e' : '~g'));
    root
      .selectAll('text.axis-label')
      .data([
        { text: xLabel, x: WIDTH - MARGIN.right, y: HEIGHT - 2, anchor: 'end' },
        { text: yLabel, x: 2, y: 10, anchor: 'start' },
      ])
      .join('text')
      .attr('class', 'axis-label')
      .attr('x', (label) => label.x)
      .attr('y', (label) => label.y)
      .attr('text-anchor', (label) => label.anchor)
      .text((label) => label.text);

    const line = d3
      .line<{ x: number; y: number }>()
      .defined((point) => Number.isFinite(point.y) && (yScale === 'linear' || point.y > 0))
      .x((point) => x(point.x))
      .y((point) => y(point.y));
    root
      .selectAll('path.series')
      .data(series)
      .join('path')
      .attr('class', (item) => `series ${item.className}`)
      .attr('fill', 'none')
      .attr('d', (item) => line(item.points));

    root
      .selectAll('circle.mark')
      .data(marks)
      .join('circle')
      .attr('class', 'mark')
      .attr('r', 4)
      .attr('cx', (mark) => x(mark.x))
      .attr('cy', (mark) => y(mark.y))
      .selectAll('title')
      .data((mark) => [mark.label])
      .join('title')
      .text((label) => label);

    root
      .selectAll('line.cursor')
      .data(cursorX === null ? [] : [cursorX])
      .join('line')
      .attr('class', 'cursor')
      .attr('x1', (value) => x(value))
      .attr('x2', (value) => x(value))
      .attr('y1', MARGIN.top)
      .attr('y2', HEIGHT - MARGIN.bottom);

    if (onSeek) {
      root.on('click', (event: MouseEvent) => {
        const [pointerX] = d3.pointer(event, svg);
        onSeek(Math.round(x.invert(pointerX)));
      });
    } else {
      root.on('click', null);
    }
  }, [series, marks, cursorX, maxX, yScale, yDomain, yLabel, xLabel, onSeek]);

  return (
    <svg
      ref={svgRef}
      className="line-chart"
      viewBox={`0 0 ${WIDTH} ${HEIGHT}`}
      role="img"
      aria-label={description}
    />
  );
}
