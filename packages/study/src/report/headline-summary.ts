import type { ClaimVerdict } from './claim-verdict.js';
import { formatHeadline, type StudyHeadline } from './study-headline.js';
import { htmlEscape } from './table.js';

const verdictClass = (claim: ClaimVerdict) =>
  `verdict verdict-${claim.verdict.replaceAll(' ', '-')}`;

/** One line per claim of He & Choi 2021: its verdict, marked when the data are no evidence. */
function claimsList(headline: StudyHeadline): string {
  const items = headline.claims.map(
    (claim) =>
      `<li>${claim.id}. ${htmlEscape(claim.claim)}: <span class="${verdictClass(claim)}">${htmlEscape(claim.verdict.toUpperCase())}</span>${claim.evidence ? '' : ' (not evidence: see the caveat)'}</li>`,
  );
  return `<ul class="claims">${items.join('')}</ul>`;
}

/** A card per claim: its verdict as a badge and the numbers it rests on. */
function claimCards(headline: StudyHeadline): string {
  return headline.claims
    .map(
      (claim) =>
        `<article class="card claim-card" data-claim="${claim.id}"><h3><span class="${verdictClass(claim)} badge">${htmlEscape(claim.verdict.toUpperCase())}</span> ${claim.id}. ${htmlEscape(claim.claim)}</h3>${claim.evidence ? '' : '<p class="caveat-note">Not evidence: see the caveat.</p>'}<ul>${claim.numbers.map((n) => `<li>${htmlEscape(n)}</li>`).join('')}</ul></article>`,
    )
    .join('');
}

/** The encoder(s), their shape and each quality gate as passed or failed. */
function encoderCard(headline: StudyHeadline): string {
  const encoders = headline.encoder.encoders.map((encoder) => {
    const shape = encoder.architecture
      ? `${encoder.architecture.arch.toUpperCase()}, ${encoder.architecture.layers} layers × ${encoder.architecture.heads} heads, hidden ${encoder.architecture.hidden}`
      : 'architecture unknown';
    const gates = encoder.qualityGates?.gates ?? [];
    const gateItems = gates
      .map(
        (g) =>
          `<li><span class="badge ${g.passed ? 'gate-passed' : 'gate-failed'}">${g.passed ? 'PASSED' : 'FAILED'}</span> (${htmlEscape(g.id)}) ${htmlEscape(g.requirement)}: ${htmlEscape(g.result)}</li>`,
      )
      .join('');
    return `<p><strong>${htmlEscape(encoder.name)}</strong> · ${htmlEscape(shape)} · ${encoder.weights === 'random' ? 'randomly initialised' : 'pretrained'}</p>${gateItems ? `<ul class="gates">${gateItems}</ul>` : '<p class="note">No quality gates recorded.</p>'}`;
  });
  return `<article class="card encoder-card"><h3>Encoder <span class="badge status-${headline.encoder.status}">${htmlEscape(headline.encoder.status.replaceAll('-', ' '))}</span></h3>${encoders.join('') || '<p class="missing">unknown</p>'}${headline.encoder.caveat ? `<p class="caveat">${htmlEscape(headline.encoder.caveat)}</p>` : ''}</article>`;
}

/**
 * The headline as the report's first section: the verdicts in a line each, the encoder and its
 * gates, a card per claim with its numbers, and the headline text `stem report` prints, folded.
 */
export function headlineSummaryHtml(headline: StudyHeadline): string {
  return [
    '<section class="headline">',
    '<h2>Headline</h2>',
    claimsList(headline),
    `<div class="cards">${encoderCard(headline)}${claimCards(headline)}</div>`,
    headline.missing.length > 0
      ? `<details class="missing-list"><summary>Missing from this study (${headline.missing.length})</summary><ul>${headline.missing.map((m) => `<li>${htmlEscape(m)}</li>`).join('')}</ul></details>`
      : '',
    `<details><summary>The headline as text (as <code>stem report</code> prints it)</summary><pre>${htmlEscape(formatHeadline(headline).join('\n'))}</pre></details>`,
    '</section>',
  ].join('\n');
}
