//! The types file drafted from a saved model (`typfrage types`): each type with its id, its names
//! in both languages (to be edited), its description as a comment and its centroid as the
//! signature that `cluster --types` names the clusters by (see [`crate::cluster::name_clusters`]).

use crate::cluster::SavedModel;

/// A TOML string, quoted and escaped: JSON's escapes are TOML's in a basic string.
fn quoted(s: &str) -> String {
    serde_json::to_string(s).expect("a string serialises")
}

/// The draft types file of `model`, which `model_file` names in its opening comment.
pub fn draft(model: &SavedModel, model_file: &str) -> String {
    let mut out = format!(
        "# Types drafted by `typfrage types` from {} (k = {}, fitted on {}, seed {}).\n\
         # Each type is known by its centroid, the mean answer of its members on each clustering\n\
         # variable: `typfrage cluster --types THIS_FILE` gives each cluster the type whose centroid\n\
         # lies nearest to the cluster's mean (one to one), so a type keeps its name across seeds,\n\
         # row orders and waves. A cluster no type fits is numbered after them.\n\
         # TODO: name each type (name_de, name_en; a motto and motto_en may be added); the id names\n\
         # the type's files and columns and may stay.\n",
        crate::escape::field(model_file),
        model.k,
        crate::escape::field(&model.input.file),
        model.seed,
    );
    for t in &model.types {
        out.push_str("\n[[type]]\n");
        out.push_str(&format!("id = {}\n", quoted(&t.id)));
        let about = [&t.description_de, &t.description_en]
            .into_iter()
            .flatten()
            .map(|d| crate::escape::field(d).into_owned())
            .collect::<Vec<_>>()
            .join(" / ");
        out.push_str(&format!(
            "# TODO: name the type: {} of {} clustered ({about})\n",
            t.n, model.input.clustered
        ));
        out.push_str(&format!("name_de = {}\n", quoted(&t.name_de)));
        out.push_str(&format!("name_en = {}\n", quoted(&t.name_en)));
        let values: Vec<String> = model
            .variables
            .iter()
            .zip(&t.centroid)
            .map(|(v, c)| format!("{} = {c}", quoted(v)))
            .collect();
        out.push_str(&format!("centroid = {{ {} }}\n", values.join(", ")));
    }
    out
}
