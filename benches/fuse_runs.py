#!/usr/bin/env python3
"""Fuse two TREC runs (each min-max normalized per query, the second weighted) and print the
mean nDCG@10 (graded qrels) or MRR@10 for a range of weights.
  benches/fuse_runs.py PASSAGE.run ARTICLE.run QRELS ndcg|mrr
Runs come from `fahras eval … --run FILE` (see docs/relevance.md)."""
import sys, math, collections
def run(p):
    r=collections.defaultdict(dict)
    for l in open(p):
        q,_,d,rank,s,_=l.split(); r[q][d]=float(s)
    return r
def qrels(p):
    r=collections.defaultdict(dict)
    for l in open(p):
        q,_,d,g=l.split(); r[q][d]=int(g)
    return r
def ndcg10(ranked, rel):
    dcg=sum((rel.get(d,0))/math.log2(i+2) for i,d in enumerate(ranked[:10]))
    ideal=sorted(rel.values(),reverse=True)[:10]
    idcg=sum(g/math.log2(i+2) for i,g in enumerate(ideal))
    return dcg/idcg if idcg else 0
def rr10(ranked, rel):
    for i,d in enumerate(ranked[:10]):
        if rel.get(d,0)>0: return 1/(i+1)
    return 0
P=run(sys.argv[1]); A=run(sys.argv[2]); Q=qrels(sys.argv[3]); measure=sys.argv[4]
def norm(d):
    if not d: return {}
    lo,hi=min(d.values()),max(d.values())
    return {k:(v-lo)/(hi-lo) if hi>lo else 1.0 for k,v in d.items()}
for w in [0,0.1,0.2,0.3,0.5,0.75,1.0,1.5]:
    tot=0
    for q in Q:
        p=norm(P.get(q,{})); a=norm(A.get(q,{}))
        docs=set(p)|set(a)
        f={d:p.get(d,0)+w*a.get(d,0) for d in docs}
        ranked=sorted(f,key=lambda d:(-f[d],d))
        tot+= ndcg10(ranked,Q[q]) if measure=='ndcg' else rr10(ranked,Q[q])
    print(w, round(tot/len(Q),4))
