//! The contract the checkpoint chains of `tests/checkpoints.rs` are checked against: what
//! one run from a position must deliver, commit, checkpoint and report to the hook (§4, §5,
//! R8), and the checks of a whole chain's ledger that need no model (nothing lost; repeats
//! only where the strategy allows them). It knows nothing of wires: a run over bodies must
//! meet the very contract a run over `Value`s meets (G8).

use std::collections::HashSet;

use crate::Checkpointing as C;
use crate::{Chain, Ledger, Pos, RunLog, RunPlan, page_of, pos, primary_of, secondary_of};

/// The contract, for one run from `start`: which pages it fetches, where `max_items` cuts
/// (M2: the primary key, to what remains; M3: exactly at a page end), what each checkpoint
/// is (R2, R8), what the hook sees, and where the consumer dies.
pub(crate) fn simulate(chain: &Chain, start: Pos, plan: RunPlan) -> RunLog {
    let c = chain.checkpointing;
    let mut l = Ledger::new(None, plan.die_after);
    let mut taken = 0u64;
    let last = chain.pages.len() - 1;
    for (p, spec) in chain.pages.iter().enumerate().skip(start.page) {
        let offset = if p == start.page { start.offset } else { None };
        let fetched = pos(p, offset);
        let mut primary = primary_of(p, spec);
        primary.drain(..primary.len().min(offset.unwrap_or(0) as usize));
        // R6: an offset means the secondary results were returned with the cut page.
        let secondary = if offset.is_some() {
            Vec::new()
        } else {
            secondary_of(p, spec)
        };
        let cut = plan
            .max_items
            .map(|max| max - taken)
            .filter(|&left| primary.len() as u64 > left);
        if let Some(left) = cut {
            primary.truncate(left as usize);
        }
        taken += primary.len() as u64;
        let ends = cut.is_some() || p == last || plan.max_items == Some(taken);
        // Where the run continues once this page is handed out (R2, M2, M3).
        let after = match cut {
            Some(left) => Some(pos(p, Some(offset.unwrap_or(0) + left))),
            None if p == last => None,
            None => Some(pos(p + 1, None)),
        };
        if c.hook() {
            // R8: the hook's token fetches the arriving page again.
            l.log.hooks.push(((p - start.page + 1) as u64, ends));
            l.commit_pos(Some(fetched));
            l.event();
            if l.log.crashed {
                return l.log;
            }
        }
        let visible = c.visible(secondary, primary);
        let n = visible.len();
        for (i, item) in visible.into_iter().enumerate() {
            l.process(item);
            let more = i + 1 < n;
            match c {
                // R2: an offset after the item handed out, or after the page at its end.
                C::ItemTokens => {
                    let next = pos(p, Some(offset.unwrap_or(0) + i as u64 + 1));
                    l.commit_pos(if more { Some(next) } else { after });
                }
                // R8: no offset can say where inside the page, so the page again.
                C::SecondaryTokens | C::SearchTokens => {
                    l.commit_pos(if more { Some(fetched) } else { after });
                }
                _ => {}
            }
            l.event();
            if l.log.crashed {
                return l.log;
            }
        }
        if c == C::PageTokens {
            l.commit_pos(after);
        }
        if ends {
            l.commit_pos(after);
            return l.log;
        }
    }
    unreachable!("a run always ends on a page");
}

/// Checks a chain's runs against the model, then its ledger without the model.
pub(crate) fn check(chain: &Chain, logs: &[RunLog]) {
    let mut start = pos(0, None);
    for (run, log) in logs.iter().enumerate() {
        let expected = simulate(chain, start, chain.plan(run));
        assert_eq!(log, &expected, "run {run} from {start:?} of {chain:?}");
        match log.checkpoints.last() {
            Some(Some(pos)) => start = *pos,
            // The end of the data: `chain_of_runs!` starts no run after it.
            Some(None) => {}
            None => {}
        }
    }

    let listing = chain.listing();
    let committed: Vec<&String> = logs.iter().flat_map(|l| &l.committed).collect();
    // R8: nothing lost, nothing foreign, first commits in listing order.
    let mut seen = HashSet::new();
    let firsts: Vec<&String> = committed
        .iter()
        .copied()
        .filter(|i| seen.insert(*i))
        .collect();
    assert_eq!(
        firsts,
        listing.iter().collect::<Vec<_>>(),
        "R8: lost or reordered: {chain:?}"
    );
    if chain.checkpointing.exactly_once() {
        assert_eq!(committed.len(), listing.len(), "duplicates: {chain:?}");
    }
    // A run is handed again only items already committed from the page of the furthest item
    // committed so far, where a crash left commits past the stored checkpoint (a resume may
    // stop early on `max_items`, so that can be a few runs back), and only as what it starts
    // with; exactly-once strategies are handed nothing again.
    let mut committed_before: HashSet<&String> = HashSet::new();
    let (mut furthest, mut crashed) = (None::<&String>, false);
    for (run, log) in logs.iter().enumerate() {
        let again = log
            .delivered
            .iter()
            .take_while(|i| committed_before.contains(i))
            .count();
        assert!(
            log.delivered[again..]
                .iter()
                .all(|i| !committed_before.contains(i)),
            "run {run} repeats after new items: {chain:?}"
        );
        if again > 0 {
            assert!(
                !chain.checkpointing.exactly_once(),
                "run {run} repeats: {chain:?}"
            );
            assert!(crashed, "run {run} repeats with no crash before: {chain:?}");
            let page = page_of(furthest.unwrap());
            assert!(
                log.delivered[..again].iter().all(|i| page_of(i) == page),
                "run {run} repeats items outside page {page}: {chain:?}"
            );
        }
        committed_before.extend(&log.committed);
        furthest = listing.iter().rev().find(|i| committed_before.contains(i));
        crashed |= log.crashed;
    }
}
