//! Parsing: tokens → tree, by recursive descent.
//!
//! ```text
//! query := or? EOF
//! or    := and (OR and)*
//! and   := unary ((AND)? unary)*
//! unary := (NOT | - | +) unary | '(' or ')' | atom ['(' YEAR ')']
//! ```

use super::field::is_year;
use super::lexer::{Tok, Token};
use super::{ErrorKind, FieldFilter, Node, ParseError, MAX_DEPTH};

pub(super) struct Parser<'a> {
    pub(super) input: &'a str,
    pub(super) tokens: Vec<Token>,
    pub(super) pos: usize,
    pub(super) depth: usize,
}

impl Parser<'_> {
    fn peek(&self) -> Option<&Tok> {
        self.tokens.get(self.pos).map(|t| &t.tok)
    }

    fn offset(&self) -> usize {
        self.tokens
            .get(self.pos)
            .map_or(self.input.len(), |t| t.offset)
    }

    fn error(&self, kind: ErrorKind, message: impl Into<String>, offset: usize) -> ParseError {
        ParseError::new(kind, message, offset, self.input)
    }

    /// Whether the next token can begin a term.
    fn starts_term(&self) -> bool {
        matches!(
            self.peek(),
            Some(Tok::Atom(_) | Tok::LParen | Tok::Not | Tok::Minus | Tok::Plus)
        )
    }

    /// The operator as typed at `offset` (`AND` or `&&`, `OR` or `||`), for messages.
    fn typed(&self, offset: usize) -> &str {
        let rest = &self.input[offset..];
        ["&&", "||", "AND", "OR", "NOT"]
            .into_iter()
            .find(|op| rest.starts_with(op))
            .unwrap_or("operator")
    }

    fn missing_operand(&self, offset: usize) -> ParseError {
        let op = self.typed(offset);
        let message = if op == "NOT" {
            "NOT needs a search term after it".to_string()
        } else {
            format!("{op} needs a search term on each side")
        };
        self.error(ErrorKind::MissingOperand, message, offset)
    }

    pub(super) fn query(&mut self) -> Result<Node, ParseError> {
        if self.tokens.is_empty() {
            return Ok(Node::Empty);
        }
        let root = self.or()?;
        if self.pos < self.tokens.len() {
            // `or` stops only at a `)`: any other token would have continued it.
            return Err(self.error(
                ErrorKind::UnopenedParen,
                "unbalanced parenthesis: this ) has no matching (",
                self.offset(),
            ));
        }
        Ok(root)
    }

    fn or(&mut self) -> Result<Node, ParseError> {
        let mut children = vec![self.and()?];
        while let Some(Tok::Or) = self.peek() {
            let offset = self.offset();
            self.pos += 1;
            if !self.starts_term() {
                return Err(self.missing_operand(offset));
            }
            children.push(self.and()?);
        }
        Ok(join(children, Node::Or))
    }

    fn and(&mut self) -> Result<Node, ParseError> {
        let mut children = vec![self.unary()?];
        loop {
            let explicit = match self.peek() {
                Some(Tok::And) => {
                    let offset = self.offset();
                    self.pos += 1;
                    if !self.starts_term() {
                        return Err(self.missing_operand(offset));
                    }
                    true
                }
                _ if self.starts_term() => false,
                _ => break,
            };
            let child = self.unary()?;
            if explicit {
                // An explicit AND marks the two terms it joins, and only those: in
                // `a b AND c`, `a` stays as typed.
                if let Some(left) = children.pop() {
                    children.push(require(left));
                }
                children.push(require(child));
            } else {
                children.push(child);
            }
        }
        Ok(join(children, Node::And))
    }

    fn unary(&mut self) -> Result<Node, ParseError> {
        let offset = self.offset();
        if self.depth >= MAX_DEPTH {
            return Err(self.error(
                ErrorKind::TooDeep,
                format!("too deeply nested: at most {MAX_DEPTH} levels of groups and NOT"),
                offset,
            ));
        }
        self.depth += 1;
        let node = self.unary_inner(offset);
        self.depth -= 1;
        node
    }

    fn unary_inner(&mut self, offset: usize) -> Result<Node, ParseError> {
        let Some(tok) = self.tokens.get_mut(self.pos).map(|t| &mut t.tok) else {
            // Callers check `starts_term` first, except at the very start of a group,
            // which `group` checks, and of a non-empty query; so this is unreachable,
            // but an error is safer than a panic.
            return Err(self.missing_operand(offset));
        };
        match tok {
            Tok::Not => {
                self.pos += 1;
                if !self.starts_term() {
                    return Err(self.missing_operand(offset));
                }
                Ok(negate(self.unary()?))
            }
            // The lexer emits a sign only right before a word, group or phrase.
            Tok::Minus => {
                self.pos += 1;
                Ok(negate(self.unary()?))
            }
            Tok::Plus => {
                self.pos += 1;
                Ok(require(self.unary()?))
            }
            Tok::LParen => self.group(offset),
            Tok::RParen => Err(self.error(
                ErrorKind::UnopenedParen,
                "unbalanced parenthesis: this ) has no matching (",
                offset,
            )),
            Tok::And | Tok::Or => Err(self.missing_operand(offset)),
            Tok::Atom(node) => {
                let node = std::mem::replace(node, Node::Empty);
                self.pos += 1;
                Ok(self.attach_year(node))
            }
        }
    }

    fn group(&mut self, open: usize) -> Result<Node, ParseError> {
        self.pos += 1;
        match self.peek() {
            None => {
                return Err(self.error(
                    ErrorKind::UnclosedParen,
                    "unbalanced parenthesis: this ( is not closed",
                    open,
                ))
            }
            Some(Tok::RParen) => {
                return Err(self.error(
                    ErrorKind::EmptyGroup,
                    "empty group: there is nothing to search between ( and )",
                    open,
                ))
            }
            Some(_) => {}
        }
        let inner = self.or()?;
        match self.peek() {
            Some(Tok::RParen) => {
                self.pos += 1;
                Ok(inner)
            }
            _ => Err(self.error(
                ErrorKind::UnclosedParen,
                "unbalanced parenthesis: this ( is not closed",
                open,
            )),
        }
    }

    /// Joins a parenthesized 4-digit year to the word, number or symbol just before it:
    /// `S/RES/2086 (2013)` is one symbol, `2086 (2013)` one phrase, not a group.
    fn attach_year(&mut self, node: Node) -> Node {
        let year = match self.tokens.get(self.pos..self.pos + 3) {
            Some(
                [Token {
                    tok: Tok::LParen, ..
                }, Token {
                    tok: Tok::Atom(Node::Word(year)),
                    ..
                }, Token {
                    tok: Tok::RParen, ..
                }],
            ) if is_year(year) => year.clone(),
            _ => return node,
        };
        let attached = match node {
            Node::Word(w) => Node::Phrase(format!("{w} ({year})")),
            Node::Symbol(s) => Node::Symbol(format!("{s} ({year})")),
            Node::Field(FieldFilter::Symbol(s)) => {
                Node::Field(FieldFilter::Symbol(format!("{s} ({year})")))
            }
            // Ids of resolutions carry their year as symbols do: `id:S/RES/242 (1967)`.
            Node::Field(FieldFilter::Id(s)) => {
                Node::Field(FieldFilter::Id(format!("{s} ({year})")))
            }
            other => return other,
        };
        self.pos += 3;
        attached
    }
}

/// Builds an AND or OR of `children`, flattening nested ones of the same kind and
/// collapsing a single child.
fn join(children: Vec<Node>, make: fn(Vec<Node>) -> Node) -> Node {
    let mut flat = Vec::with_capacity(children.len());
    for child in children {
        match (make(Vec::new()), child) {
            (Node::And(_), Node::And(inner)) | (Node::Or(_), Node::Or(inner)) => flat.extend(inner),
            (_, child) => flat.push(child),
        }
    }
    if flat.len() == 1 {
        flat.pop().unwrap_or(Node::Empty)
    } else {
        make(flat)
    }
}

/// `+node`: the node marked [`Node::Required`], unless it is a negation or a filter, which
/// a `+` cannot make more required than they are, or is already marked.
fn require(node: Node) -> Node {
    match node {
        Node::Not(_) | Node::Field(_) | Node::Required(_) => node,
        node => Node::Required(Box::new(node)),
    }
}

/// `NOT node`, with a double negation cancelled.
fn negate(node: Node) -> Node {
    match node {
        Node::Not(inner) => *inner,
        node => Node::Not(Box::new(node)),
    }
}
