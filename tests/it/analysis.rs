//! Tests: analysis.

use quorum::analysis::{analyze, ALL};

#[test]
fn analysis_dump() {
    let inputs = [
        "accompagne\u{301}",
        "résolution\u{a0}2086\u{a0}(2013)",
        "résolution\u{202f}2086",
        "l'État l’État lʼÉtat l‘État aujourd’hui aujourdʼhui aujourd‘hui",
        "S/2011\u{2010}1 S/2011\u{2011}1 peace\u{2010}keeping peace\u{2011}keeping",
        "L’Organisation l'Organisation d’abord j’ai m’a n’est s’il t’a c’est qu’il jusqu’à lorsqu’il puisqu’il quoiqu’il",
        "l’Organisation l'Organisation",
        "œuvre Œuvre cœur Cæsar",
        "opérations sécurité securite",
        "contingent contingents fournisseurs fournisseur",
        "resolutions resolution peacekeepers peacekeeper",
        "maintien de la paix",
        "même même",
        "le la les de",
        "S/PRST/2001/3 A/69/767",
        "peace-keeping operations",
        "peacekeeping peace keeping peace-keeping",
        "Haut-Commissariat",
        "para-\ngraph",
        "self-\nsufficiency",
        "meet-\n   ing",
        "S/RES/2086 (2013)",
        "S/2015/129 S/25704/Add.1 E/CN.4/2005/L.1",
        "(S/PRST/2001/3)Document PDF",
        "séanceDocument",
        "and/or",
        "1,5 7453e 11 240",
        "<< paix >>",
        "« paix »",
        "L’Organisation des Nations Unies œuvre au maintien de la paix",
        "The Security Council’s peace-keeping operations",
        "la-\n",
        "'l'",
        "l'",
        "l’a",
        "Lorsqu’il",
        "QU’IL",
    ];
    for name in ALL {
        for text in inputs {
            let toks: Vec<_> = analyze(name, text)
                .into_iter()
                .map(|t| {
                    (
                        t.text,
                        t.position,
                        t.offset_from,
                        t.offset_to,
                        t.position_length,
                    )
                })
                .collect();
            println!("{name} {text:?} => {toks:?}");
        }
    }
    for text in inputs {
        let toks: Vec<_> = quorum::analysis::tokenize(text)
            .into_iter()
            .map(|t| {
                (
                    t.text,
                    t.position,
                    t.offset_from,
                    t.offset_to,
                    t.position_length,
                )
            })
            .collect();
        println!("TOK {text:?} => {toks:?}");
    }
}
