import { useEffect, useRef, type ReactNode } from 'react';

export interface Span {
  id: string;
  start: number;
  end: number;
}

/**
 * An article with spans highlighted. Spans may overlap: the text is cut at every span boundary
 * and each piece is marked with the spans covering it. The selected span's first piece is
 * scrolled into view (centered) when it changes.
 */
export function Highlighted<S extends Span>({
  text,
  spans,
  selected,
  renderMark,
}: {
  text: string;
  spans: readonly S[];
  selected: string | null;
  renderMark: (piece: string, covering: S[], isSelected: boolean, ref: ((el: HTMLElement | null) => void) | undefined, key: number) => ReactNode;
}) {
  const firstSelected = useRef<HTMLElement | null>(null);
  useEffect(() => {
    firstSelected.current?.scrollIntoView({ block: 'center' });
  }, [selected]);

  const cuts = new Set<number>([0, text.length]);
  for (const s of spans) {
    cuts.add(Math.max(0, Math.min(text.length, s.start)));
    cuts.add(Math.max(0, Math.min(text.length, s.end)));
  }
  const points = [...cuts].sort((a, b) => a - b);
  let selectedSeen = false;
  const pieces: ReactNode[] = [];
  for (let i = 0; i < points.length - 1; i++) {
    const from = points[i]!;
    const to = points[i + 1]!;
    const piece = text.slice(from, to);
    const covering = spans.filter((s) => s.start <= from && s.end >= to);
    if (covering.length === 0) {
      pieces.push(piece);
      continue;
    }
    const isSelected = covering.some((s) => s.id === selected);
    const ref = isSelected && !selectedSeen ? (el: HTMLElement | null) => void (firstSelected.current = el) : undefined;
    if (isSelected) selectedSeen = true;
    pieces.push(renderMark(piece, covering, isSelected, ref, i));
  }
  return <div className="article">{pieces}</div>;
}
