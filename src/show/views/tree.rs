//! The threshold tree ("three questions to find your type") as people read it: each split as a
//! question in the answers' own words ([`questions`]), `tree.json` ([`tree_json`]), the
//! municipalities it assigns otherwise than k-means (`tree-otherwise.csv`, [`otherwise_table`]),
//! the tree diagram ([`tree_chart`]), the console lines ([`tree_text`]) and the report's section
//! ([`report_blocks`]).

use crate::show::words::Words as SurveyWords;
use serde_json::{json, Value};

use super::typology::type_name;
use crate::cluster::tree::{ThresholdTree, TreeNode};
use crate::cluster::{SavedTree, Typology, Words};
use crate::lang::Lang;
use crate::show::chart::{palette, Chart, TreeBox, TreeChart};
use crate::show::doc::{Block, Document};
use crate::show::format::number;
use crate::show::labels::{code_label, item_label, DataSource};
use crate::show::table::{Cell, Table};
use crate::survey::{Codebook, Survey};

/// A split's question: the item, and "at most" its value below the threshold (with the value's
/// label where the codebook has one); the first answer ("yes") goes below.
fn question(book: &Codebook, name: &str, below_max: f64, threshold: f64, lang: Lang) -> String {
    let var = book.variable(name);
    let item = var.map_or(name, |v| item_label(v, lang));
    let whole = below_max.fract() == 0.0 && below_max.abs() < 1e15;
    let value = match (var, whole) {
        (Some(v), true) if v.code(below_max as i64).is_some() => format!(
            "{} ({})",
            below_max as i64,
            code_label(v, below_max as i64, lang)
        ),
        (_, true) => format!("{}", below_max as i64),
        _ => number(threshold, 2, lang),
    };
    match lang {
        Lang::De => format!("»{item}«: höchstens {value}?"),
        Lang::En => format!("\u{201c}{item}\u{201d}: at most {value}?"),
    }
}

/// The nodes in the order they are read (a question, then everything its "yes" leads to, then
/// its "no"): each with its question number (inner nodes, from 1).
fn preorder(root: &TreeNode) -> Vec<&TreeNode> {
    fn walk<'a>(n: &'a TreeNode, out: &mut Vec<&'a TreeNode>) {
        out.push(n);
        if let TreeNode::Split { below, above, .. } = n {
            walk(below, out);
            walk(above, out);
        }
    }
    let mut out = Vec::new();
    walk(root, &mut out);
    out
}

/// Every question of the tree in reading order.
pub fn questions(tree: &ThresholdTree, t: &Typology, book: &Codebook, lang: Lang) -> Vec<String> {
    preorder(&tree.root)
        .into_iter()
        .filter_map(|n| match n {
            TreeNode::Split {
                variable,
                threshold,
                below_max,
                ..
            } => Some(question(
                book,
                &t.variables()[*variable],
                *below_max,
                *threshold,
                lang,
            )),
            TreeNode::Leaf { .. } => None,
        })
        .collect()
}

/// A leaf as a rule: the answers that lead to it (question number, yes or no), its type, how many
/// municipalities reach it and how many of them k-means puts in that type.
type Rule = (Vec<(usize, bool)>, usize, usize, usize);

/// Every leaf as a [`Rule`], in reading order.
fn rules(root: &TreeNode) -> Vec<Rule> {
    fn walk(n: &TreeNode, path: &mut Vec<(usize, bool)>, next: &mut usize, out: &mut Vec<Rule>) {
        match n {
            TreeNode::Leaf { label, n, agree } => out.push((path.clone(), *label, *n, *agree)),
            TreeNode::Split { below, above, .. } => {
                *next += 1;
                let q = *next;
                path.push((q, true));
                walk(below, path, next, out);
                path.pop();
                path.push((q, false));
                walk(above, path, next, out);
                path.pop();
            }
        }
    }
    let mut out = Vec::new();
    walk(root, &mut Vec::new(), &mut 0, &mut out);
    out
}

fn yes_no(lang: Lang) -> [&'static str; 2] {
    [lang.pick("ja", "yes"), lang.pick("nein", "no")]
}

fn node_json(n: &TreeNode, t: &Typology, book: &Codebook, lang: Lang) -> Value {
    match n {
        TreeNode::Leaf { label, n, agree } => json!({
            "type": t.types[*label].name.id,
            "name": type_name(&t.types[*label].name, lang),
            "n": n,
            "as_kmeans": agree,
        }),
        TreeNode::Split {
            variable,
            threshold,
            below_max,
            above_min,
            below,
            above,
        } => {
            let name = &t.variables()[*variable];
            let label = book
                .variable(name)
                .map_or(name.as_str(), |v| item_label(v, lang));
            json!({
                "variable": name,
                "label": label,
                "threshold": threshold,
                "at_most": below_max,
                "above_from": above_min,
                "question": question(book, name, *below_max, *threshold, lang),
                "yes": node_json(below, t, book, lang),
                "no": node_json(above, t, book, lang),
            })
        }
    }
}

/// `tree.json`: the tree (each split's variable, label, threshold and question; each leaf's
/// type), its agreement with k-means, and where the municipalities it assigns otherwise are
/// listed.
pub fn tree_json(tree: &ThresholdTree, t: &Typology, book: &Codebook, lang: Lang) -> String {
    let v = json!({
        "rule": format!(
            "a {} whose answer is at most the threshold takes the \"yes\" branch",
            SurveyWords::of(book, Lang::En).unit()
        ),
        "municipalities": tree.labels.len(),
        "as_kmeans": tree.agree,
        "agreement": tree.agreement(),
        "depth": tree.root.depth(),
        "leaves": tree.root.leaves(),
        "assigned_otherwise": "tree-otherwise.csv",
        "root": node_json(&tree.root, t, book, lang),
    });
    serde_json::to_string_pretty(&v).expect("JSON of plain values") + "\n"
}

/// `tree-otherwise.csv`: every municipality the tree assigns to another type than k-means, with
/// both types.
pub fn otherwise_table(tree: &ThresholdTree, t: &Typology, survey: &Survey) -> Table {
    let mut table = Table::new(["id", "type", "tree_type"]);
    for ((id, a), &l) in t.matrix.ids(survey).zip(&t.assignments).zip(&tree.labels) {
        if a.type_index != l {
            table.push(vec![
                Cell::text(id),
                Cell::text(t.types[a.type_index].name.id.as_str()),
                Cell::text(t.types[l].name.id.as_str()),
            ]);
        }
    }
    table
}

/// The share in words: "383 of 412 (93 %)".
fn agreement_words(tree: &ThresholdTree, book: &Codebook, lang: Lang) -> String {
    let units = SurveyWords::of(book, lang).units().to_string();
    let n = tree.labels.len();
    let share = number(100.0 * tree.agreement(), 1, lang);
    match lang {
        Lang::De => format!(
            "{} von {n} {} ({share} %)",
            tree.agree,
            SurveyWords::of(book, lang).units_dative()
        ),
        Lang::En => format!("{} of {n} {units} ({share} %)", tree.agree),
    }
}

/// The tree diagram: questions in white boxes, each leaf in its type's colour.
pub fn tree_chart(
    tree: &ThresholdTree,
    t: &Typology,
    book: &Codebook,
    source: &DataSource,
    lang: Lang,
) -> Chart {
    let units = SurveyWords::of(book, lang).units().to_string();
    let nodes = preorder(&tree.root);
    let colours = palette(t.types.len());
    let mut boxes = Vec::with_capacity(nodes.len());
    let mut colors = Vec::with_capacity(nodes.len());
    // each node's index in reading order: a subtree's nodes follow it
    let sizes: Vec<usize> = nodes.iter().map(|n| preorder(n).len()).collect();
    for (i, n) in nodes.iter().enumerate() {
        match n {
            TreeNode::Split {
                variable,
                threshold,
                below_max,
                ..
            } => {
                let q = question(
                    book,
                    &t.variables()[*variable],
                    *below_max,
                    *threshold,
                    lang,
                );
                boxes.push(TreeBox {
                    text: q,
                    detail: String::new(),
                    children: Some([i + 1, i + 1 + sizes[i + 1]]),
                });
                colors.push("#FFFFFF".to_string());
            }
            TreeNode::Leaf { label, n, agree } => {
                let share = number(100.0 * *agree as f64 / (*n).max(1) as f64, 0, lang);
                boxes.push(TreeBox {
                    text: type_name(&t.types[*label].name, lang),
                    detail: match lang {
                        Lang::De => format!("{n} {units}, {share} % wie k-means"),
                        Lang::En => format!("{n} {units}, {share} % as k-means"),
                    },
                    children: None,
                });
                colors.push(colours[*label].clone());
            }
        }
    }
    let base = match lang {
        Lang::De => format!(
            "Ein Baum mit höchstens {} Fragen; er teilt {} so ein wie k-means",
            tree.root.depth(),
            agreement_words(tree, book, lang)
        ),
        Lang::En => format!(
            "A tree of at most {} questions; it assigns {} as k-means does",
            tree.root.depth(),
            agreement_words(tree, book, lang)
        ),
    };
    let [yes, no] = yes_no(lang);
    Chart::Tree(TreeChart {
        title: lang
            .pick(
                "Drei Fragen zu Ihrem Typ",
                "Three questions to find your type",
            )
            .into(),
        note: source.note(&base, lang),
        nodes: boxes,
        answers: [yes.into(), no.into()],
        colors,
        size: [1600, 220 + 150 * (tree.root.depth() as u32 + 1)],
        lang,
        scale: 1.0,
    })
}

/// The rules as lines: "1 yes, 2 no → type (n municipalities, m as k-means)".
fn rule_lines(tree: &ThresholdTree, t: &Typology, book: &Codebook, lang: Lang) -> Vec<String> {
    let units = SurveyWords::of(book, lang).units().to_string();
    let [yes, no] = yes_no(lang);
    rules(&tree.root)
        .into_iter()
        .map(|(path, label, n, agree)| {
            let answers: Vec<String> = path
                .iter()
                .map(|(q, y)| format!("{} {q}", if *y { yes } else { no }))
                .collect();
            let answers = if answers.is_empty() {
                "-".to_string()
            } else {
                answers.join(", ")
            };
            let name = type_name(&t.types[label].name, lang);
            match lang {
                Lang::De => {
                    format!("{answers} → {name} ({n} {units}, davon {agree} auch bei k-means)")
                }
                Lang::En => {
                    format!("{answers} → {name} ({n} {units}, {agree} of them as k-means)")
                }
            }
        })
        .collect()
}

/// The console lines: the questions, the rules and the agreement.
pub fn tree_text(tree: &ThresholdTree, t: &Typology, book: &Codebook, lang: Lang) -> String {
    let mut out = match lang {
        Lang::De => format!(
            "Entscheidungsbaum (IMM/ExKMC, höchstens 3 Fragen): teilt {} so ein wie k-means\n",
            agreement_words(tree, book, lang)
        ),
        Lang::En => format!(
            "threshold tree (IMM/ExKMC, at most 3 questions): assigns {} as k-means does\n",
            agreement_words(tree, book, lang)
        ),
    };
    for (i, q) in questions(tree, t, book, lang).iter().enumerate() {
        out.push_str(&format!("  {}. {q}\n", i + 1));
    }
    for r in rule_lines(tree, t, book, lang) {
        out.push_str(&format!("  {r}\n"));
    }
    out
}

/// The report's section: what the tree is, its questions, its rules, its agreement, the chart
/// (`chart`: path, title, PNG) and where the others are listed.
pub fn report_blocks(
    tree: &ThresholdTree,
    t: &Typology,
    book: &Codebook,
    chart: Option<(&str, &str, &[u8], f64)>,
    lang: Lang,
) -> Vec<Block> {
    let words = SurveyWords::of(book, lang);
    let (units, block) = (words.units(), words.block());
    let heading = lang.pick(
        "Drei Fragen zu Ihrem Typ",
        "Three questions to find your type",
    );
    let mut d = Document::section(2, heading, match lang {
        Lang::De => format!(
            "Ohne Software den eigenen Typ finden: höchstens {} Fragen zu den {block}, jede mit ja oder nein zu beantworten. Der Baum (nach IMM, Dasgupta u. a. 2020, mit Zusatzblättern nach ExKMC) wählt jede Frage so, dass möglichst wenige {units} von ihrem k-means-Typ getrennt werden. Er teilt {} so ein wie k-means; die übrigen stehen in tree-otherwise.csv, der Baum in tree.json.",
            tree.root.depth(),
            agreement_words(tree, book, lang)
        ),
        Lang::En => format!(
            "Finding one's own type without software: at most {} questions on the {block}, each answered yes or no. The tree (after IMM, Dasgupta et al. 2020, with extra leaves after ExKMC) chooses each question so that as few {units} as possible are separated from their k-means type. It assigns {} as k-means does; the others are listed in tree-otherwise.csv, the tree in tree.json.",
            tree.root.depth(),
            agreement_words(tree, book, lang)
        ),
    });
    let qs: Vec<String> = questions(tree, t, book, lang)
        .into_iter()
        .enumerate()
        .map(|(i, q)| format!("{} {}: {q}", lang.pick("Frage", "Question"), i + 1))
        .collect();
    d.blocks.push(Block::List(qs));
    d.chart(chart);
    d.paragraph(lang.pick(
        "Die Antworten und der Typ, zu dem sie führen:",
        "The answers and the type they lead to:",
    ));
    d.blocks.push(Block::List(rule_lines(tree, t, book, lang)));
    d.blocks
}

/// The tree as a saved model keeps it for the self-check page: questions and rules in both
/// languages.
pub fn saved_tree(tree: &ThresholdTree, t: &Typology, book: &Codebook) -> SavedTree {
    let both = |de: Vec<String>, en: Vec<String>| -> Vec<Words> {
        de.into_iter()
            .zip(en)
            .map(|(de, en)| Words { de, en })
            .collect()
    };
    SavedTree {
        municipalities: tree.labels.len(),
        as_kmeans: tree.agree,
        questions: both(
            questions(tree, t, book, Lang::De),
            questions(tree, t, book, Lang::En),
        ),
        rules: both(
            rule_lines(tree, t, book, Lang::De),
            rule_lines(tree, t, book, Lang::En),
        ),
    }
}
