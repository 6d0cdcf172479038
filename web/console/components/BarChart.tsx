import { useId, useLayoutEffect, useRef, useState } from 'react';
import { styled } from 'styled-components';

const Figure = styled.figure`
  margin: 0;
  svg {
    display: block;
    width: 100%;
    height: auto;
    overflow: visible;
  }
  figcaption {
    font-weight: 600;
    margin-bottom: 4px;
  }
  .sub {
    display: block;
    font-weight: 400;
    font-size: 14px;
    color: #41403e;
  }
`;

export interface Bar {
  /** The x axis label (short). */
  label: string;
  /** Null: not shown (suppressed); drawn as a hatched stub so the gap is visible. */
  value: number | null;
  /** The bar in words for its tooltip, e.g. "12.5.2025: 40". */
  title: string;
  /** Why this bar's value is not shown, where it differs from the chart's hiddenLabel. */
  hiddenLabel?: string;
}

/** Axis text in pixels: WCAG has no minimum, but below 12 px the numbers are hard to read. */
export const AXIS_FONT = 12;

/**
 * A bar chart as SVG for people who see it; for assistive technology it is one image with a
 * description (the page also has the figures as a table). No colour carries meaning alone: hidden
 * values are hatched and labelled.
 */
export function BarChart({ caption, subcaption, description, bars, hiddenLabel, height = 180, color = '#2a6ebb', labelEvery }: {
  caption: string;
  subcaption?: string;
  description: string;
  bars: Bar[];
  hiddenLabel: string;
  height?: number;
  color?: string;
  /** Label every n-th bar on the x axis (default: as many as fit). */
  labelEvery?: number;
}) {
  const id = useId();
  // The drawing is as wide as it is shown, one unit a pixel: scaled down from a fixed width, the
  // axis text of a phone's chart came out at 6 px.
  const figure = useRef<HTMLElement>(null);
  const [width, setWidth] = useState(560);
  useLayoutEffect(() => {
    const element = figure.current;
    if (!element) return;
    const measure = () => {
      const shown = Math.round(element.getBoundingClientRect().width);
      if (shown > 0) setWidth(shown);
    };
    measure();
    const observer = new ResizeObserver(measure);
    observer.observe(element);
    return () => observer.disconnect();
  }, []);
  const left = 40;
  const bottom = 28;
  const top = 10;
  const plotHeight = height - bottom - top;
  const max = Math.max(1, ...bars.map((b) => b.value ?? 0));
  const step = niceStep(max);
  const top_ = Math.ceil(max / step) * step;
  const ticks = Array.from({ length: Math.round(top_ / step) + 1 }, (_, i) => i * step);
  const slot = (width - left) / Math.max(1, bars.length);
  const barWidth = Math.max(2, Math.min(40, slot * 0.7));
  // As many labels as fit side by side at AXIS_FONT px (a digit is about 0.6 em wide).
  const labelWidth = Math.max(1, ...bars.map((b) => b.label.length)) * AXIS_FONT * 0.6 + 6;
  const every = Math.max(labelEvery ?? 1, Math.ceil(labelWidth / slot));
  const y = (v: number) => top + plotHeight - (v / top_) * plotHeight;
  return (
    <Figure ref={figure}>
      <figcaption id={`${id}-caption`}>
        {caption}
        {subcaption && <span className="sub">{subcaption}</span>}
      </figcaption>
      <svg viewBox={`0 0 ${width} ${height}`} role="img" aria-labelledby={`${id}-title`} aria-describedby={`${id}-desc`} focusable="false">
        <title id={`${id}-title`}>{caption}</title>
        <desc id={`${id}-desc`}>{description}</desc>
        <defs>
          <pattern id={`${id}-hatch`} width="6" height="6" patternUnits="userSpaceOnUse" patternTransform="rotate(45)">
            <line x1="0" y1="0" x2="0" y2="6" stroke="#5f686d" strokeWidth="2" />
          </pattern>
        </defs>
        {ticks.map((tick) => (
          <g key={tick} aria-hidden="true">
            <line x1={left} x2={width} y1={y(tick)} y2={y(tick)} stroke="#d8dbdd" strokeWidth="1" />
            <text x={left - 6} y={y(tick) + 4} textAnchor="end" fontSize={AXIS_FONT} fill="#41403e">
              {tick}
            </text>
          </g>
        ))}
        {bars.map((bar, i) => {
          const x = left + i * slot + (slot - barWidth) / 2;
          const hidden = bar.value === null;
          const h = hidden ? 10 : Math.max(bar.value! > 0 ? 1 : 0, y(0) - y(bar.value!));
          return (
            <g key={i}>
              <rect x={x} y={y(0) - h} width={barWidth} height={h} fill={hidden ? `url(#${id}-hatch)` : color} stroke={hidden ? '#5f686d' : 'none'}>
                <title>{hidden ? `${bar.title}: ${bar.hiddenLabel ?? hiddenLabel}` : bar.title}</title>
              </rect>
              {i % every === 0 && (
                <text x={x + barWidth / 2} y={height - 10} textAnchor="middle" fontSize={AXIS_FONT} fill="#41403e" aria-hidden="true">
                  {bar.label}
                </text>
              )}
            </g>
          );
        })}
        <line x1={left} x2={width} y1={y(0)} y2={y(0)} stroke="#41403e" strokeWidth="1" />
      </svg>
    </Figure>
  );
}

/** 1, 2 or 5 times a power of ten, so that about four grid lines cover the values. */
function niceStep(max: number): number {
  const rough = max / 4;
  const power = 10 ** Math.floor(Math.log10(rough));
  for (const m of [1, 2, 5, 10]) if (m * power >= rough) return Math.max(1, m * power);
  return Math.max(1, 10 * power);
}
