//! Unit tests of the query parser: tables of inputs and trees, errors with their
//! offsets, and property tests that no input panics.

use super::lexer::has_alnum;
use super::*;
use proptest::prelude::*;

fn w(s: &str) -> Node {
    Node::Word(s.into())
}
fn ph(s: &str) -> Node {
    Node::Phrase(s.into())
}
fn sym(s: &str) -> Node {
    Node::Symbol(s.into())
}
fn pre(s: &str) -> Node {
    Node::Prefix(s.into())
}
fn fz(s: &str, distance: u8) -> Node {
    Node::Fuzzy {
        word: s.into(),
        distance,
    }
}
fn not(n: Node) -> Node {
    Node::Not(Box::new(n))
}
fn req(n: Node) -> Node {
    Node::Required(Box::new(n))
}
fn and(v: Vec<Node>) -> Node {
    Node::And(v)
}
fn or(v: Vec<Node>) -> Node {
    Node::Or(v)
}
fn words(s: &str) -> Node {
    Node::And(s.split(' ').map(w).collect())
}
fn lang(s: &str) -> Node {
    Node::Field(FieldFilter::Lang(s.into()))
}
fn typ(s: &str) -> Node {
    Node::Field(FieldFilter::Type(s.into()))
}
fn year(from: Option<i64>, to: Option<i64>) -> Node {
    Node::Field(FieldFilter::Year { from, to })
}
fn fsym(s: &str) -> Node {
    Node::Field(FieldFilter::Symbol(s.into()))
}
fn id(s: &str) -> Node {
    Node::Field(FieldFilter::Id(s.into()))
}

fn check(rows: &[(&str, Node)]) {
    for (input, expected) in rows {
        match parse(input) {
            Ok(query) => assert_eq!(&query.root, expected, "input: {input:?}"),
            Err(e) => panic!("input {input:?}: unexpected error\n{e}"),
        }
    }
}

fn check_errors(rows: &[(&str, usize, ErrorKind, &str)]) {
    for &(input, offset, kind, fragment) in rows {
        match parse(input) {
            Ok(query) => panic!("input {input:?}: expected an error, got {query:?}"),
            Err(e) => {
                assert_eq!(e.offset, offset, "offset for {input:?}: {e}");
                assert_eq!(e.kind, kind, "kind for {input:?}: {e}");
                assert!(
                    e.message.contains(fragment),
                    "message for {input:?} lacks {fragment:?}: {e}"
                );
            }
        }
    }
}

#[test]
fn bare_words() {
    check(&[
        ("contingents", w("contingents")),
        (
            "pays fournisseurs de contingents",
            words("pays fournisseurs de contingents"),
        ),
        ("l’Organisation", w("l’Organisation")),
        ("l'Organisation", w("l'Organisation")),
        ("lʼOrganisation", w("lʼOrganisation")),
        ("aujourd'hui", w("aujourd'hui")),
        ("aujourd’hui", w("aujourd’hui")),
        ("peace-keeping", w("peace-keeping")),
        ("e-mail", w("e-mail")),
        (
            "peace keeping operations",
            words("peace keeping operations"),
        ),
        ("protection of civilians", words("protection of civilians")),
        (
            "apartheid in South Africa",
            words("apartheid in South Africa"),
        ),
        ("CONSEIL DE SÉCURITÉ", words("CONSEIL DE SÉCURITÉ")),
        ("Côte d’Ivoire", words("Côte d’Ivoire")),
        ("7453e séance", words("7453e séance")),
        ("11 240", words("11 240")),
        ("11\u{a0}240", words("11 240")),
        ("11\u{202f}240", words("11 240")),
        ("1,5 million", words("1,5 million")),
        ("U.N.", w("U.N")),
        ("paix, sécurité.", words("paix sécurité")),
        ("Note : texte", words("Note texte")),
        ("Note: texte", words("Note texte")),
        ("‘peace’", w("peace")),
        ("States’", w("States")),
        ("<< paix >>", w("paix")),
        ("<<paix>>", w("paix")),
        ("paix – sécurité ... , ;", words("paix sécurité")),
        ("peace - keeping", words("peace keeping")),
        ("and or not et ou", words("and or not et ou")),
        ("And Or Not", words("And Or Not")),
        ("udhr:article-1", w("udhr:article-1")),
        ("foo:bar", w("foo:bar")),
        ("HIV/AIDS", w("HIV/AIDS")),
        ("VIH/sida", w("VIH/sida")),
        ("and/or", w("and/or")),
        ("12/05/2013", w("12/05/2013")),
        ("Conseil»", w("Conseil")),
        ("", Node::Empty),
        ("   ", Node::Empty),
        ("-", Node::Empty),
        ("+", Node::Empty),
        ("- + -- ...", Node::Empty),
        ("*", Node::Empty),
        ("\"\"", Node::Empty),
        ("-\"\"", Node::Empty),
        ("--\"\" paix", w("paix")),
        ("« »", Node::Empty),
        ("\t\n paix\r\n", w("paix")),
    ]);
}

#[test]
fn prefixes_and_fuzzy() {
    check(&[
        ("contin*", pre("contin")),
        ("contin**", pre("contin")),
        ("contin*,", pre("contin")),
        ("S/RES/20*", pre("S/RES/20")),
        ("*contin", w("contin")),
        ("co*tin", w("co*tin")),
        ("contingents~", fz("contingents", 1)),
        ("sécurité~2", fz("sécurité", 2)),
        ("sécurité~2.", fz("sécurité", 2)),
        ("sécurité~0", fz("sécurité", 1)),
        ("sécurité~1", fz("sécurité", 1)),
        ("sécurité~9", fz("sécurité", 2)),
        ("sécurité~99999999999999999999", fz("sécurité", 2)),
        ("sécurité~0.8", fz("sécurité", 1)),
        ("foo~bar", w("foo~bar")),
        ("~", Node::Empty),
        ("-contin*", not(pre("contin"))),
    ]);
}

#[test]
fn phrases() {
    check(&[
        ("\"maintien de la paix\"", ph("maintien de la paix")),
        ("“maintien de la paix”", ph("maintien de la paix")),
        ("« maintien de la paix »", ph("maintien de la paix")),
        ("«maintien de la paix»", ph("maintien de la paix")),
        ("„maintien de la paix“", ph("maintien de la paix")),
        ("”maintien de la paix”", ph("maintien de la paix")),
        ("\"mixed quotes”", ph("mixed quotes")),
        ("\"peacekeeping operations\"", ph("peacekeeping operations")),
        ("\"S/RES/242 (1967)\"", ph("S/RES/242 (1967)")),
        ("\"a (b) c\" d", and(vec![ph("a (b) c"), w("d")])),
        ("\"paix AND sécurité\"", ph("paix AND sécurité")),
        ("\"maintien de la paix\"~3", ph("maintien de la paix")),
        ("l'\"ONU\"", and(vec![w("l"), ph("ONU")])),
        ("\"a\"\"b\"", and(vec![ph("a"), ph("b")])),
        ("-\"maintien de la paix\"", not(ph("maintien de la paix"))),
        ("+\"paix\"", req(ph("paix"))),
        ("«  Côte d’Ivoire  »", ph("Côte d’Ivoire")),
    ]);
}

#[test]
fn symbols() {
    check(&[
        ("S/PRST/2001/3", sym("S/PRST/2001/3")),
        ("S/RES/2086 (2013)", sym("S/RES/2086 (2013)")),
        ("S/RES/2086(2013)", sym("S/RES/2086 (2013)")),
        ("S/RES/2086   ( 2013 )", sym("S/RES/2086 (2013)")),
        ("S/RES/2086", sym("S/RES/2086")),
        ("A/69/767", sym("A/69/767")),
        ("S/2015/129", sym("S/2015/129")),
        ("A/RES/70/1", sym("A/RES/70/1")),
        ("S/25704/Add.1", sym("S/25704/Add.1")),
        ("S/25704/Add.1.", sym("S/25704/Add.1")),
        ("E/CN.4/2005/L.1", sym("E/CN.4/2005/L.1")),
        ("UNMIK/REG/1999/1", sym("UNMIK/REG/1999/1")),
        ("S/PRST", sym("S/PRST")),
        ("s/res/242", sym("s/res/242")),
        ("(S/RES/242)", sym("S/RES/242")),
        ("-S/RES/2086 (2013)", not(sym("S/RES/2086 (2013)"))),
        (
            "résolution 2086 (2013)",
            and(vec![w("résolution"), ph("2086 (2013)")]),
        ),
        ("1353 (2001)", ph("1353 (2001)")),
        ("rapport (2013)", ph("rapport (2013)")),
        (
            "S/RES/2086 (2013) (2014)",
            and(vec![sym("S/RES/2086 (2013)"), w("2014")]),
        ),
        ("S/RES/2086 (13)", and(vec![sym("S/RES/2086"), w("13")])),
        (
            "S/RES/2086 (2013 OR 2014)",
            and(vec![sym("S/RES/2086"), or(vec![w("2013"), w("2014")])]),
        ),
        (
            "S/RES/2086 AND (2013)",
            and(vec![req(sym("S/RES/2086")), req(w("2013"))]),
        ),
        ("\"paix\" (2013)", and(vec![ph("paix"), w("2013")])),
        ("(2013)", w("2013")),
        ("contin* (2013)", and(vec![pre("contin"), w("2013")])),
    ]);
}

#[test]
fn fields() {
    check(&[
        ("lang:fr opérations", and(vec![lang("fr"), w("opérations")])),
        ("LANG:FR", lang("FR")),
        ("lang: fr", lang("fr")),
        ("lang:\"en\"", lang("en")),
        (
            "type:resolution Namibia",
            and(vec![typ("resolution"), w("Namibia")]),
        ),
        ("doc_type:resolution", typ("resolution")),
        (
            "Doc_Type:presidential_statement",
            typ("presidential_statement"),
        ),
        ("year:1967", year(Some(1967), Some(1967))),
        ("year:1990..1994", year(Some(1990), Some(1994))),
        ("year:1990-1994", year(Some(1990), Some(1994))),
        ("year:1990–1994", year(Some(1990), Some(1994))),
        ("year:1990..", year(Some(1990), None)),
        ("year:..1994", year(None, Some(1994))),
        ("year:>=1990", year(Some(1990), None)),
        ("year:>1990", year(Some(1991), None)),
        ("year:<=1994", year(None, Some(1994))),
        ("year:<1994", year(None, Some(1993))),
        ("year:[1990 TO 1994]", year(Some(1990), Some(1994))),
        (
            "year:[1990 to 1994] paix",
            and(vec![year(Some(1990), Some(1994)), w("paix")]),
        ),
        ("year:{1990 TO 1994}", year(Some(1991), Some(1993))),
        ("year:[1990 TO *]", year(Some(1990), None)),
        ("year: [1990 TO 1994]", year(Some(1990), Some(1994))),
        ("year:\"1990..1994\"", year(Some(1990), Some(1994))),
        ("year:1994,", year(Some(1994), Some(1994))),
        ("symbol:S/RES/242", fsym("S/RES/242")),
        ("symbol:\"S/RES/242 (1967)\"", fsym("S/RES/242 (1967)")),
        ("symbol:S/RES/242 (1967)", fsym("S/RES/242 (1967)")),
        ("symbol: S/RES/242", fsym("S/RES/242")),
        ("symbol:S/RES/242.", fsym("S/RES/242")),
        ("id:udhr:article-1", id("udhr:article-1")),
        ("id:\"udhr:article 1\"", id("udhr:article 1")),
        (
            "id:udhr:article-1, paix",
            and(vec![id("udhr:article-1"), w("paix")]),
        ),
        ("-lang:en", not(lang("en"))),
        ("+year:1990", year(Some(1990), Some(1990))),
        (
            "lang:fr type:resolution year:1990..1994 Namibie",
            and(vec![
                lang("fr"),
                typ("resolution"),
                year(Some(1990), Some(1994)),
                w("Namibie"),
            ]),
        ),
        (
            "(lang:fr OR lang:en) paix",
            and(vec![or(vec![lang("fr"), lang("en")]), w("paix")]),
        ),
    ]);
}

#[test]
fn operators() {
    check(&[
        (
            "opérations -Liban",
            and(vec![w("opérations"), not(w("Liban"))]),
        ),
        (
            "+paix +sécurité",
            and(vec![req(w("paix")), req(w("sécurité"))]),
        ),
        (
            "paix AND sécurité",
            and(vec![req(w("paix")), req(w("sécurité"))]),
        ),
        (
            "paix && sécurité",
            and(vec![req(w("paix")), req(w("sécurité"))]),
        ),
        ("paix OR sécurité", or(vec![w("paix"), w("sécurité")])),
        ("paix || sécurité", or(vec![w("paix"), w("sécurité")])),
        ("NOT Liban", not(w("Liban"))),
        ("-Liban", not(w("Liban"))),
        ("paix NOT Liban", and(vec![w("paix"), not(w("Liban"))])),
        (
            "paix AND NOT Liban",
            and(vec![req(w("paix")), not(w("Liban"))]),
        ),
        ("paix OR NOT Liban", or(vec![w("paix"), not(w("Liban"))])),
        ("NOT NOT Liban", w("Liban")),
        ("NOT -Liban", w("Liban")),
        ("--Liban", not(w("Liban"))),
        ("+-Liban", not(w("Liban"))),
        ("-5", not(w("5"))),
        ("-NOT", not(w("NOT"))),
        ("+AND", req(w("AND"))),
        (
            "-(paix OR sécurité)",
            not(or(vec![w("paix"), w("sécurité")])),
        ),
        ("NOT (paix sécurité)", not(words("paix sécurité"))),
        ("- paix", w("paix")),
        ("paix -", w("paix")),
        ("-->", Node::Empty),
        ("(paix) (sécurité)", words("paix sécurité")),
        ("((paix))", w("paix")),
        ("(-Liban)", not(w("Liban"))),
    ]);
}

#[test]
fn precedence() {
    check(&[
        (
            "(paix OR sécurité) AND Afrique",
            and(vec![
                req(or(vec![w("paix"), w("sécurité")])),
                req(w("Afrique")),
            ]),
        ),
        ("a b OR c d", or(vec![words("a b"), words("c d")])),
        (
            "paix OR sécurité Afrique",
            or(vec![w("paix"), words("sécurité Afrique")]),
        ),
        (
            "a AND b c AND d",
            and(vec![req(w("a")), req(w("b")), req(w("c")), req(w("d"))]),
        ),
        ("a OR b OR c", or(vec![w("a"), w("b"), w("c")])),
        ("a OR (b OR c)", or(vec![w("a"), w("b"), w("c")])),
        ("a (b c) d", words("a b c d")),
        (
            "a (b OR c) d",
            and(vec![w("a"), or(vec![w("b"), w("c")]), w("d")]),
        ),
        (
            "-a b OR c -d",
            or(vec![
                and(vec![not(w("a")), w("b")]),
                and(vec![w("c"), not(w("d"))]),
            ]),
        ),
        ("NOT a OR b", or(vec![not(w("a")), w("b")])),
        (
            "a AND (b OR c) AND -d",
            and(vec![
                req(w("a")),
                req(or(vec![w("b"), w("c")])),
                not(w("d")),
            ]),
        ),
    ]);
}

#[test]
fn required() {
    check(&[
        ("+a", req(w("a"))),
        ("+a b", and(vec![req(w("a")), w("b")])),
        ("a +b", and(vec![w("a"), req(w("b"))])),
        ("a AND b", and(vec![req(w("a")), req(w("b"))])),
        ("a b AND c", and(vec![w("a"), req(w("b")), req(w("c"))])),
        ("a AND b c", and(vec![req(w("a")), req(w("b")), w("c")])),
        (
            "a AND b AND c",
            and(vec![req(w("a")), req(w("b")), req(w("c"))]),
        ),
        ("a && +b", and(vec![req(w("a")), req(w("b"))])),
        ("+a AND +b", and(vec![req(w("a")), req(w("b"))])),
        ("++a", req(w("a"))),
        ("+\"a b\"", req(ph("a b"))),
        ("+\"a b\" c", and(vec![req(ph("a b")), w("c")])),
        ("+contin*", req(pre("contin"))),
        ("+sécurité~2", req(fz("sécurité", 2))),
        ("+S/RES/2086 (2013)", req(sym("S/RES/2086 (2013)"))),
        ("+2086 (2013)", req(ph("2086 (2013)"))),
        // A negation or a filter is left unmarked, and nothing is marked twice.
        ("+-a", not(w("a"))),
        ("-+a", not(w("a"))),
        ("+(-a)", not(w("a"))),
        ("a AND -b", and(vec![req(w("a")), not(w("b"))])),
        ("a AND NOT b", and(vec![req(w("a")), not(w("b"))])),
        ("-a AND b", and(vec![not(w("a")), req(w("b"))])),
        ("+lang:fr", lang("fr")),
        ("+(lang:fr)", lang("fr")),
        ("lang:fr AND a", and(vec![lang("fr"), req(w("a"))])),
        ("+(+a)", req(w("a"))),
        ("+((a))", req(w("a"))),
        // A negated mark excludes what it marks.
        ("NOT +a", not(req(w("a")))),
        ("-(+a)", not(req(w("a")))),
        ("NOT NOT +a", req(w("a"))),
        // Groups: a marked group stays whole, unmarked ones are flattened as before.
        ("+(a b)", req(and(vec![w("a"), w("b")]))),
        (
            "+(a b) c",
            and(vec![req(and(vec![w("a"), w("b")])), w("c")]),
        ),
        (
            "c +(a b)",
            and(vec![w("c"), req(and(vec![w("a"), w("b")]))]),
        ),
        (
            "(a b) AND c",
            and(vec![req(and(vec![w("a"), w("b")])), req(w("c"))]),
        ),
        ("(a AND b) c", and(vec![req(w("a")), req(w("b")), w("c")])),
        (
            "+(a (b +c)) d",
            and(vec![req(and(vec![w("a"), w("b"), req(w("c"))])), w("d")]),
        ),
        (
            "((a AND b) AND c) d",
            and(vec![
                req(and(vec![req(w("a")), req(w("b"))])),
                req(w("c")),
                w("d"),
            ]),
        ),
        ("+(a OR b)", req(or(vec![w("a"), w("b")]))),
        (
            "+(a OR b) c",
            and(vec![req(or(vec![w("a"), w("b")])), w("c")]),
        ),
        ("a OR +b", or(vec![w("a"), req(w("b"))])),
        (
            "a OR +(b OR c)",
            or(vec![w("a"), req(or(vec![w("b"), w("c")]))]),
        ),
        (
            "a AND b OR c",
            or(vec![and(vec![req(w("a")), req(w("b"))]), w("c")]),
        ),
        ("+(a -b)", req(and(vec![w("a"), not(w("b"))]))),
    ]);
}

#[test]
fn errors() {
    use ErrorKind::*;
    check_errors(&[
        (
            "\"unbalanced",
            0,
            UnbalancedQuote,
            "unbalanced quote: a phrase opened here is not closed",
        ),
        ("paix \"maintien", 5, UnbalancedQuote, "not closed"),
        ("« paix", 0, UnbalancedQuote, "not closed"),
        ("é \"", 3, UnbalancedQuote, "not closed"),
        ("-\"paix", 1, UnbalancedQuote, "not closed"),
        ("((paix)", 0, UnclosedParen, "this ( is not closed"),
        ("(paix", 0, UnclosedParen, "this ( is not closed"),
        ("paix (", 5, UnclosedParen, "this ( is not closed"),
        ("paix)", 4, UnopenedParen, "this ) has no matching ("),
        (")", 0, UnopenedParen, "no matching"),
        ("(a))", 3, UnopenedParen, "no matching"),
        ("()", 0, EmptyGroup, "empty group"),
        ("paix ( )", 5, EmptyGroup, "empty group"),
        ("( - , )", 0, EmptyGroup, "empty group"),
        (
            "AND",
            0,
            MissingOperand,
            "AND needs a search term on each side",
        ),
        ("OR", 0, MissingOperand, "OR needs"),
        ("&&", 0, MissingOperand, "&& needs"),
        ("AND paix", 0, MissingOperand, "AND needs"),
        ("paix AND", 5, MissingOperand, "AND needs"),
        ("paix OR", 5, MissingOperand, "OR needs"),
        ("paix ||", 5, MissingOperand, "|| needs"),
        ("paix AND AND sécurité", 5, MissingOperand, "AND needs"),
        ("paix OR OR sécurité", 5, MissingOperand, "OR needs"),
        ("paix AND OR sécurité", 5, MissingOperand, "AND needs"),
        ("(paix AND) sécurité", 6, MissingOperand, "AND needs"),
        ("paix AND -", 5, MissingOperand, "AND needs"),
        ("NOT", 0, MissingOperand, "NOT needs a search term after it"),
        ("paix NOT", 5, MissingOperand, "NOT needs"),
        ("NOT AND paix", 0, MissingOperand, "NOT needs"),
        ("(NOT)", 1, MissingOperand, "NOT needs"),
        (
            "year:abc",
            5,
            InvalidField,
            "year: expects a year such as 2015 or a range such as 1990..1994",
        ),
        ("year:", 5, InvalidField, "year: expects"),
        ("year:19900", 5, InvalidField, "year: expects"),
        ("year:..", 5, InvalidField, "year: expects"),
        (
            "year:1994..1990",
            5,
            InvalidField,
            "range 1994..1990 is empty",
        ),
        ("year:[1990 TO 1994", 5, InvalidField, "year: expects"),
        ("year:[1990 1994]", 5, InvalidField, "year: expects"),
        ("year:>=", 5, InvalidField, "year: expects"),
        ("YEAR:abc", 5, InvalidField, "year: expects"),
        ("paix year:", 10, InvalidField, "year: expects"),
        ("year: AND paix", 5, InvalidField, "year: expects"),
        ("lang:", 5, InvalidField, "lang: expects a language code"),
        ("lang:(fr)", 5, InvalidField, "lang: expects"),
        ("lang:fr/en", 5, InvalidField, "lang: expects"),
        ("type:", 5, InvalidField, "type: expects"),
        ("doc_type:", 9, InvalidField, "type: expects"),
        ("symbol:", 7, InvalidField, "symbol: expects"),
        ("symbol:\"\"", 7, InvalidField, "symbol: expects"),
        ("symbol:\"S/RES", 7, UnbalancedQuote, "not closed"),
        ("id:", 3, InvalidField, "id: expects"),
        ("id: ,", 4, InvalidField, "id: expects"),
    ]);
}

#[test]
fn nesting_is_bounded() {
    let deep = format!("{}paix{}", "(".repeat(100_000), ")".repeat(100_000));
    let e = parse(&deep).unwrap_err();
    assert_eq!((e.kind, e.offset), (ErrorKind::TooDeep, MAX_DEPTH));
    let nots = "NOT ".repeat(100_000) + "paix";
    assert_eq!(parse(&nots).unwrap_err().kind, ErrorKind::TooDeep);
    let ok = format!(
        "{}paix{}",
        "(".repeat(MAX_DEPTH - 1),
        ")".repeat(MAX_DEPTH - 1)
    );
    assert_eq!(parse(&ok).map(|q| q.root), Ok(w("paix")));
}

#[test]
fn error_display() {
    let rows = [
        (
            "paix AND",
            "syntax error at column 6: AND needs a search term on each side\npaix AND\n     ^",
        ),
        (
            "sécurité \"paix",
            "syntax error at column 10: unbalanced quote: a phrase opened here is not closed\nsécurité \"paix\n         ^",
        ),
        (
            "lang:",
            "syntax error at column 6: lang: expects a language code such as fr or en\nlang:\n     ^",
        ),
        (
            "a\tb )",
            "syntax error at column 5: unbalanced parenthesis: this ) has no matching (\na b )\n    ^",
        ),
    ];
    for (input, expected) in rows {
        let e = parse(input).unwrap_err();
        assert_eq!(e.to_string(), expected, "input: {input:?}");
    }
    let boxed: Box<dyn Error> = Box::new(parse("()").unwrap_err());
    assert!(boxed.to_string().contains("empty group"));
}

/// Invariants every successful parse keeps.
fn well_formed(node: &Node, root: bool) {
    match node {
        Node::Empty => assert!(root, "Empty below the root"),
        Node::Word(s) | Node::Prefix(s) | Node::Symbol(s) => {
            assert!(has_alnum(s), "{node:?}");
            assert!(
                !s.contains(char::is_whitespace) || s.contains(" ("),
                "{node:?}"
            );
        }
        Node::Phrase(s) => assert!(has_alnum(s) && s.trim() == s, "{node:?}"),
        Node::Fuzzy { word, distance } => {
            assert!(has_alnum(word) && (1..=2).contains(distance), "{node:?}")
        }
        Node::Field(FieldFilter::Year { from, to }) => {
            assert!(from.is_some() || to.is_some());
            if let (Some(f), Some(t)) = (from, to) {
                assert!(f <= t);
            }
        }
        Node::Field(_) => {}
        Node::And(children) | Node::Or(children) => {
            assert!(children.len() >= 2, "{node:?}");
            for child in children {
                assert!(
                    std::mem::discriminant(child) != std::mem::discriminant(node),
                    "not flattened: {node:?}"
                );
                well_formed(child, false);
            }
        }
        Node::Not(inner) => {
            assert!(!matches!(**inner, Node::Not(_)), "{node:?}");
            well_formed(inner, false);
        }
        Node::Required(inner) => {
            assert!(
                !matches!(**inner, Node::Not(_) | Node::Field(_) | Node::Required(_)),
                "{node:?}"
            );
            well_formed(inner, false);
        }
    }
}

/// Strings made of the characters the grammar cares about, so that the property
/// tests reach the interesting paths more often than uniformly random text would.
fn query_like() -> impl Strategy<Value = String> {
    let pieces = prop_oneof![
        Just(" ".to_string()),
        Just("(".to_string()),
        Just(")".to_string()),
        Just("\"".to_string()),
        Just("“".to_string()),
        Just("”".to_string()),
        Just("«".to_string()),
        Just("»".to_string()),
        Just("-".to_string()),
        Just("+".to_string()),
        Just("*".to_string()),
        Just("~".to_string()),
        Just(":".to_string()),
        Just("/".to_string()),
        Just("[".to_string()),
        Just("]".to_string()),
        Just(" AND ".to_string()),
        Just(" OR ".to_string()),
        Just("NOT ".to_string()),
        Just("year:".to_string()),
        Just("lang:".to_string()),
        Just("symbol:".to_string()),
        Just("S/RES/2086".to_string()),
        Just("2013".to_string()),
        Just(" TO ".to_string()),
        Just("..".to_string()),
        Just("é".to_string()),
        Just("’".to_string()),
        "[a-zA-Z0-9]{1,4}",
        any::<char>().prop_map(String::from),
    ];
    prop::collection::vec(pieces, 0..24).prop_map(|v| v.concat())
}

fn check_result(input: &str) {
    match parse(input) {
        Ok(query) => well_formed(&query.root, true),
        Err(e) => {
            assert!(e.offset <= input.len(), "{e:?}");
            assert!(input.is_char_boundary(e.offset), "{e:?}");
            assert!(!e.message.is_empty());
            let shown = e.to_string();
            assert!(shown.starts_with("syntax error at column "), "{shown}");
        }
    }
}

proptest! {
    #[test]
    fn any_string_parses_or_errs_cleanly(input in any::<String>()) {
        check_result(&input);
    }

    #[test]
    fn query_like_strings_parse_or_err_cleanly(input in query_like()) {
        check_result(&input);
    }
}

/// Issue 9, item 10: what quorum does not do is said, with what it searched instead.
#[test]
fn unsupported_operators_give_notices() {
    let cases: &[(&str, Node, &[&str])] = &[
        ("paix", w("paix"), &[]),
        ("paix^2", w("paix"), &["boosts (`^2`)"]),
        (
            "paix^1.5 sécurité",
            and(vec![w("paix"), w("sécurité")]),
            &["boosts (`^1.5`)"],
        ),
        ("a^b", w("a^b"), &[]),
        ("p*ix", w("p*ix"), &["wildcard inside a word"]),
        ("contin*", pre("contin"), &[]),
        ("paix~99", fz("paix", 2), &["at most 2"]),
        ("paix~3", fz("paix", 2), &["at most 2"]),
        ("paix~2", fz("paix", 2), &[]),
        ("paix~0.8", fz("paix", 1), &[]),
        (
            "id:S/RES/242 (1967)",
            Node::Field(FieldFilter::Id("S/RES/242 (1967)".into())),
            &[],
        ),
    ];
    for (input, tree, expected) in cases {
        let query = parse(input).unwrap_or_else(|e| panic!("{input}: {e}"));
        assert_eq!(&query.root, tree, "{input}");
        assert_eq!(
            query.notices.len(),
            expected.len(),
            "{input}: {:?}",
            query.notices
        );
        for (notice, part) in query.notices.iter().zip(expected.iter()) {
            assert!(notice.contains(part), "{input}: {notice}");
        }
    }
}
