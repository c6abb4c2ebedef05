//! Content models → Glushkov (position) automata. Each occurrence of an element or wildcard
//! particle becomes a position; bounded repetition is unrolled as nested optionals
//! (`a{1,3}` = `a (a (a)?)?`) so the result stays deterministic for UPA-valid schemas, and
//! `maxOccurs="unbounded"` loops the last copy. Large bounds are capped (and then treated as
//! unbounded) so a schema cannot blow up the table.

use super::compile::{Particle, Term};
use super::model::{Automaton, Symbol};

const MAX_UNROLL: u32 = 64;

struct Frag {
    first: Vec<u32>,
    last: Vec<u32>,
    nullable: bool,
}

impl Frag {
    fn empty() -> Frag {
        Frag { first: vec![], last: vec![], nullable: true }
    }
}

struct Builder {
    symbols: Vec<Symbol>,
    follow: Vec<Vec<u32>>,
}

impl Builder {
    fn link(&mut self, from: &[u32], to: &[u32]) {
        for &f in from {
            let v = &mut self.follow[f as usize];
            for &t in to {
                if !v.contains(&t) {
                    v.push(t);
                }
            }
        }
    }

    fn seq(&mut self, a: Frag, b: Frag) -> Frag {
        self.link(&a.last, &b.first);
        let mut first = a.first;
        if a.nullable {
            first.extend(b.first.iter().copied());
        }
        let mut last = b.last;
        if b.nullable {
            last.extend(a.last.iter().copied());
        }
        Frag { first, last, nullable: a.nullable && b.nullable }
    }

    fn term(&mut self, t: &Term) -> Frag {
        match t {
            Term::Elem(e) => self.leaf(Symbol::Elem(*e)),
            Term::Any(w) => self.leaf(Symbol::Any(w.clone())),
            Term::Seq(ps) => {
                let mut f = Frag::empty();
                for p in ps {
                    let g = self.particle(p);
                    f = self.seq(f, g);
                }
                f
            }
            Term::Choice(ps) => {
                let mut f = Frag { first: vec![], last: vec![], nullable: ps.is_empty() };
                for p in ps {
                    let g = self.particle(p);
                    f.first.extend(g.first);
                    f.last.extend(g.last);
                    f.nullable |= g.nullable;
                }
                f
            }
        }
    }

    fn leaf(&mut self, s: Symbol) -> Frag {
        let p = self.symbols.len() as u32;
        self.symbols.push(s);
        self.follow.push(Vec::new());
        Frag { first: vec![p], last: vec![p], nullable: false }
    }

    fn particle(&mut self, p: &Particle) -> Frag {
        let min = p.min.min(MAX_UNROLL);
        let max = match p.max {
            Some(m) if m <= MAX_UNROLL => Some(m),
            _ => None,
        };
        if max == Some(0) {
            return Frag::empty();
        }
        let mut f = Frag::empty();
        for i in 0..min {
            let g = self.term(&p.term);
            if max.is_none() && i + 1 == min {
                self.link(&g.last.clone(), &g.first.clone());
            }
            f = self.seq(f, g);
        }
        match max {
            None if min == 0 => {
                let mut g = self.term(&p.term);
                self.link(&g.last.clone(), &g.first.clone());
                g.nullable = true;
                f = self.seq(f, g);
            }
            None => {}
            Some(max) if max > min => {
                // (t (t (t)?)?)? built from the inside out.
                let mut inner = Frag::empty();
                for _ in min..max {
                    let g = self.term(&p.term);
                    let mut h = self.seq(g, inner);
                    h.nullable = true;
                    inner = h;
                }
                f = self.seq(f, inner);
            }
            Some(_) => {}
        }
        f
    }
}

pub fn build(p: &Particle) -> Automaton {
    let mut b = Builder { symbols: Vec::new(), follow: Vec::new() };
    let f = b.particle(p);
    let n = b.symbols.len();
    let mut next = Vec::with_capacity(n + 1);
    let mut first = f.first;
    first.dedup();
    next.push(first);
    let mut finals = vec![false; n + 1];
    finals[0] = f.nullable;
    for l in f.last {
        finals[l as usize + 1] = true;
    }
    next.extend(b.follow);
    Automaton { symbols: b.symbols, next, finals }
}
