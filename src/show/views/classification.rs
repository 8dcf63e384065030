//! Classifying with a saved model as people read it: the classified municipalities' table
//! (`classified.csv`, [`classified_table`]).

use crate::cluster::{Classified, SavedModel};
use crate::lang::Lang;
use crate::show::table::{Cell, Table};

/// Classified municipalities, with the type's slug and display name (in `lang`).
pub fn classified_table(model: &SavedModel, rows: &[Classified], lang: Lang) -> Table {
    let mut header = vec![
        "id".to_string(),
        "type".to_string(),
        "type_name".to_string(),
    ];
    header.extend(model.types.iter().map(|t| format!("distance_{}", t.id)));
    header.extend(["margin", "note"].map(String::from));
    let mut table = Table::new(header);
    for c in rows {
        let ty = c.type_index.map(|i| &model.types[i]);
        let mut rec = vec![
            Cell::text(c.id.as_str()),
            ty.map_or(Cell::Empty, |t| Cell::text(t.id.as_str())),
            ty.map_or(Cell::Empty, |t| {
                Cell::text(lang.pick(&t.name_de, &t.name_en))
            }),
        ];
        if c.distances.is_empty() {
            rec.extend(model.types.iter().map(|_| Cell::Empty));
        } else {
            rec.extend(c.distances.iter().map(|&d| Cell::number(d, 6)));
        }
        rec.push(Cell::opt(c.margin, 6));
        rec.push(
            c.reason
                .as_ref()
                .map_or(Cell::Empty, |r| Cell::text(format!("left out: {r}"))),
        );
        table.push(rec);
    }
    table
}
