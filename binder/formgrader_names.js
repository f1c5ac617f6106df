// Calculus for ML: students are shown by name when the gradebook knows one, by id otherwise.
// nbgrader 0.9.6's Formgrader writes "None, None" for a student added without a name (as
// `nbgrader autograde` and `collect` add them), and "None" for a missing email.
// binder/formgrader_names.py serves this file after nbgrader's own utils.js, which every
// Formgrader page loads before its views.

// "Lopez, Ana", "Lopez" or "Ana" when a part of the name is known; the id otherwise.
function studentDisplayName(lastName, firstName, id) {
    var known = [lastName, firstName].filter(function (part) { return part; });
    return known.length > 0 ? known.join(", ") : id;
}

// After a view of nbgrader renders, its name cell shows the display name.
// view: the global view class; cell: the view's jQuery cell holding the name; idField: the
// model's field holding the student id; sortByName: whether the table sorts that cell by name.
function showStudentNames(view, cell, idField, sortByName) {
    var render = view.prototype.render;
    view.prototype.render = function () {
        var rendered = render.apply(this, arguments);
        var name = studentDisplayName(
            this.model.get("last_name"), this.model.get("first_name"), this.model.get(idField));
        var $cell = this[cell];
        var $name = $cell.find("a.name-shown");  // Manual Grading: beside "Submission #n"
        if ($name.length === 0) $name = $cell.find("a");
        if ($name.length === 0) $name = $cell;
        $name.text(name);
        if (sortByName) $cell.attr("data-order", name);
        if (this.$email && !this.model.get("email")) this.$email.text("").attr("data-order", "");
        return rendered;
    };
}

// The views are defined by the page's own script, which runs after this one and before
// the document is ready; they render later, once the page has loaded.
$(function () {
    var views = [
        ["StudentUI", "$name", "id", true],                   // Manage Students
        ["SubmissionUI", "$student_name", "student", true],   // Manage Submissions
        ["SubmittedNotebookUI", "$name", "student", false],   // Manual Grading of a notebook
    ];
    views.forEach(function (args) {
        if (typeof window[args[0]] === "function") {
            showStudentNames(window[args[0]], args[1], args[2], args[3]);
        }
    });
});
