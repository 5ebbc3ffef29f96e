//! Tests: analysis.

use quorum::analysis::{analyze, ALL};

#[test]
fn analysis_dump() {
    let inputs = [
        "\u{345}",
        "\u{93F}x",
        "किताब",
        "가나다",
        "Straße Søren ex æquo",
        "décide décidé décidés",
        "condemns condemned condemning",
        "cessez-le-feu",
        "para-  \r\n\tgraph",
        "para-\n\ngraph",
        "item-\n2",
        "voir S/2015/129.",
        "2013, le",
        "1.5",
        "<< >>",
        "<<\u{a0}paix\u{a0}>>",
        "main\u{ad}tien",
        "CONSEIL DE SÉCURITÉ",
        "l’l’a",
        "l\u{301}’a",
        "S",
        "A/69/767 a",
        "S/PRST/2001/3 S",
        "ex-\nYougoslavie",
        "négociation négociations",
        "ı",
        "İstanbul",
        "meme",
        "the of and",
        "11\u{202f}240",
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
