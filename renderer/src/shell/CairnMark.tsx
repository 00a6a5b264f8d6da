/** The Cairn mark: three stacked stones. */
export function CairnMark({ size = 22 }: { size?: number }) {
  return (
    <svg width={size} height={size} viewBox="0 0 24 24" aria-hidden="true">
      <ellipse cx="12" cy="19" rx="9" ry="3.2" fill="#3d5a4c" />
      <ellipse cx="12" cy="12.6" rx="6.4" ry="2.8" fill="#5f8571" />
      <ellipse cx="12" cy="6.8" rx="3.9" ry="2.3" fill="#92b4a0" />
    </svg>
  );
}
